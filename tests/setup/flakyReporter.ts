import type { Reporter, TestCase } from 'vitest/node';

/**
 * The fast tier runs its renderer and e2e tests once more when they fail (`retry: 1` in
 * vitest.config.ts): on this 2-core machine beside other work, a wait can lose a race the product does
 * not (two CI runs were lost that way). A test that fails twice still fails the run. A test that
 * passed only on its second try is not hidden: this lists each at the end of the run, by name, with
 * the first try's error, so it gets fixed rather than forgotten.
 */
export default class FlakyReporter implements Reporter {
  private readonly flaky: { name: string; error: string }[] = [];

  onTestCaseResult(test: TestCase): void {
    const diagnostic = test.diagnostic();
    if (!diagnostic?.flaky) return;
    const first = test.result().errors?.[0];
    this.flaky.push({
      name: `${test.project.name} › ${test.module.moduleId.replace(process.cwd() + '/', '')} › ${test.fullName}`,
      error: first ? String(first.message).split('\n')[0]! : '(no error kept)',
    });
  }

  onTestRunEnd(): void {
    if (this.flaky.length === 0) return;
    const lines = [
      '',
      `Passed only on a second try (${this.flaky.length}) — a race in the test or the product, to fix:`,
      ...this.flaky.map((f) => `  ⚠ ${f.name}\n      first try: ${f.error}`),
      '',
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }
}
