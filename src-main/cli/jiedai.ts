import { defaultDataDir } from '../core/dataDir';
import { faultSentence } from '../core/faultText';
import { classifyStoreError, StoreFaultError } from '../core/dataFolder';
import { createLogger } from '../platform/log';
import { CliCallError } from './caller';
import { parseCommandArgs, UsageError, type Io } from './command';
import { COMMANDS } from './commands';

/**
 * `jiedai` — the same core, headless. Shop owners schedule it; tests use it.
 * One file per command in cli/commands/. Exit codes: 0 done, 1 failed or refused, 2 bad arguments or unusable
 * input (a damaged, full, read-only or missing data folder included).
 */
export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return `usage: jiedai <command> [options]

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)} ${c.summary}`).join('\n')}

options for every command:
  --data-dir DIR       the shop's data folder (default: ${defaultDataDir()})
  -h, --help           help for the command

${COMMANDS.map((c) => `  ${c.usage}`).join('\n')}`;
}

export type { Io } from './command';
export { UsageError } from './command';

// What a command says to its user is output, not logging: stdout for results, stderr for refusals.
const defaultIo: Io = {
  out: (s) => void process.stdout.write(`${s}\n`),
  err: (s) => void process.stderr.write(`${s}\n`),
  isTty: Boolean(process.stderr.isTTY),
  progress: (line) => process.stderr.write(line === null ? '\n' : `\r\x1b[2K${line}`),
};

export async function run(argv: string[], io: Io = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help') {
    if (!name) {
      io.err(`jiedai: no command given\n\n${usage()}`);
      return 2;
    }
    io.out(usage());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
  if (!command) {
    io.err(`jiedai: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const withCommon = {
    ...command,
    options: {
      ...command.options,
      'data-dir': { type: 'string' as const },
      help: { type: 'boolean' as const, short: 'h', default: false },
    },
  };
  let dataDir = defaultDataDir();
  try {
    const { values, positionals } = parseCommandArgs(withCommon, rest);
    if (values.help) {
      io.out(`usage: ${command.usage}`);
      return 0;
    }
    const { min, max } = command.positionals ?? { min: 0, max: 0 };
    if (positionals.length > max) throw new UsageError(`unexpected argument "${positionals[max]}"`);
    if (positionals.length < min) throw new UsageError(`missing argument (usage: ${command.usage})`);
    if (typeof values['data-dir'] === 'string') dataDir = values['data-dir'];
    return await command.run({ values, positionals, dataDir }, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`jiedai: ${error.message}\n\nusage: ${command.usage}\n\n${usage()}`);
      return 2;
    }
    // The core refused a call (the run's role may not, a file it cannot read, …): its sentence, no stack.
    if (error instanceof CliCallError) {
      io.err(`jiedai: ${error.message}`);
      return error.exitCode;
    }
    // The data folder is damaged, full, read-only or not a folder: one sentence, exit 2 (unusable input).
    const fault = classifyStoreError(error);
    if (fault) {
      io.err(`jiedai: ${faultSentence(fault, error instanceof StoreFaultError ? error.path : dataDir)}`);
      return 2;
    }
    throw error;
  }
}

// Run when executed directly (bundled as dist/main/cli/jiedai.js, or through tsx), not when imported by tests.
const entry = process.argv[1] ?? '';
if (/jiedai\.(ts|js)$/.test(entry) || entry.endsWith('/bin/jiedai.js')) {
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      createLogger('cli').error('jiedai failed', error);
      process.exit(1);
    },
  );
}
