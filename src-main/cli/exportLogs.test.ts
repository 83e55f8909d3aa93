import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFixture } from '../services/logExport/testFixture';
import { openStore } from '../store';
import { run, type Io } from './jiedai';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-cli-export-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function capture(tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  const progress: (string | null)[] = [];
  const io: Io = { out: (s) => out.push(s), err: (s) => err.push(s), isTty: tty, progress: (line) => progress.push(line) };
  return { io, out, err, progress };
}

function fixtureDir(): string {
  const dir = tempDir();
  const store = openStore(path.join(dir, 'jiedai.sqlite'));
  writeFixture(store);
  store.close();
  return dir;
}

describe('jiedai export-logs', () => {
  it('exports a day to CSV and prints a JSON summary; no progress when stderr is not a terminal', async () => {
    const dir = fixtureDir();
    const out = path.join(dir, 'day.csv');
    const c = capture(false);
    const code = await run(
      ['export-logs', '--from', '2024-06-18', '--to', '2024-06-18', '--format', 'csv', '--out', out, '--data-dir', dir, '--json'],
      c.io,
    );
    expect(c.err).toEqual([]);
    expect(code).toBe(0);
    const summary = JSON.parse(c.out.join('')) as Record<string, unknown>;
    expect(summary).toMatchObject({ status: 'done', path: out, rows: 15, format: 'csv', timeZone: 'Asia/Shanghai' });
    expect(summary.bytes).toBe(fs.statSync(out).size);
    expect(c.progress).toEqual([]);
    const rows = Papa.parse<string[]>(fs.readFileSync(out, 'utf8').slice(1), { newline: '\r\n', skipEmptyLines: true }).data;
    expect(rows).toHaveLength(16);
  });

  it('filters by repeated options, infers the format from --out, and draws progress on a terminal', async () => {
    const dir = fixtureDir();
    const out = path.join(dir, 'jie.jsonl');
    const c = capture(true);
    const code = await run(
      [
        'export-logs',
        '--from',
        '2024-06-17',
        '--to',
        '2024-06-19',
        '--agent',
        '阿杰',
        '--agent',
        '小美',
        '--direction',
        'buyer',
        '--keyword',
        '发货',
        '--out',
        out,
        '--data-dir',
        dir,
      ],
      c.io,
    );
    expect(code).toBe(0);
    const lines = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string });
    expect(lines.map((l) => l.id)).toEqual(['m06', 'm08', 'm09', 'm10']);
    // Chinese by default, like the file's labels.
    expect(c.out.join('')).toMatch(/^已导出 4 条消息到 .*jie\.jsonl（\d+\.\d MB），用时 \d+\.\d 秒$/);
    expect(c.progress.filter((p) => p !== null).some((p) => /正在导出 \d+ \/ 4 条消息/.test(p as string))).toBe(true);
    expect(c.progress.at(-1)).toBeNull();
  });

  it('speaks English with --locale en, in the progress line and the summary', async () => {
    const dir = fixtureDir();
    const out = path.join(dir, 'day.csv');
    const c = capture(true);
    expect(
      await run(['export-logs', '--from', '2024-06-18', '--to', '2024-06-18', '--locale', 'en', '--out', out, '--data-dir', dir], c.io),
    ).toBe(0);
    expect(c.out.join('')).toMatch(/^Exported 15 messages to .*day\.csv \(\d+\.\d MB\) in \d+\.\d s$/);
    expect(c.progress.filter((p) => p !== null).some((p) => /^exporting \d+ \/ 15 messages/.test(p as string))).toBe(true);
    expect(fs.readFileSync(out, 'utf8')).toContain('Time (ISO 8601)');
  });

  it('replaces an existing --out file', async () => {
    const dir = fixtureDir();
    const out = path.join(dir, 'again.html');
    fs.writeFileSync(out, 'old');
    expect(
      await run(
        ['export-logs', '--from', '2024-06-18', '--to', '2024-06-18', '--format', 'html', '--out', out, '--data-dir', dir],
        capture().io,
      ),
    ).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toContain('<!DOCTYPE html>');
  });

  it('exits 2 with a clear message for bad arguments, writing nothing', async () => {
    const dir = fixtureDir();
    const out = path.join(dir, 'x.csv');
    const base = ['export-logs', '--data-dir', dir];
    const cases: [string[], RegExp][] = [
      [['--to', '2024-06-18', '--out', out], /missing --from/],
      [['--from', '2024-06-18', '--out', out], /missing --to/],
      [['--from', '2024-02-30', '--to', '2024-03-01', '--out', out], /--from "2024-02-30" is not a day/],
      [['--from', '18/06/2024', '--to', '2024-06-18', '--out', out], /is not a day written YYYY-MM-DD/],
      [['--from', '2024-06-19', '--to', '2024-06-18', '--out', out], /--from 2024-06-19 is after --to 2024-06-18/],
      [['--from', '2024-06-18', '--to', '2024-06-18'], /missing --out/],
      [['--from', '2024-06-18', '--to', '2024-06-18', '--format', 'pdf', '--out', out], /unknown --format "pdf"/],
      [['--from', '2024-06-18', '--to', '2024-06-18', '--out', path.join(dir, 'x.txt')], /missing --format/],
      [['--from', '2024-06-18', '--to', '2024-06-18', '--format', 'xlsx', '--out', out], /--out must end with \.xlsx/],
      [['--from', '2024-06-18', '--to', '2024-06-18', '--out', path.join(dir, 'nope', 'x.csv')], /no folder/],
      [['--from', '2024-06-18', '--to', '2024-06-18', '--out', out, '--direction', 'sideways'], /unknown --direction "sideways"/],
      [['--from', '2024-06-18', '--to', '2024-06-18', '--out', out, '--locale', 'fr'], /unknown --locale/],
      [['--from', '2024-06-18', '--to', '2024-06-18', '--out', out, '--colour', 'red'], /Unknown option '--colour'/],
      [['--from', '2024-06-18', '--to', '2024-06-18', '--out', out, '--agent', ' '], /a name cannot be empty/],
    ];
    for (const [args, message] of cases) {
      const c = capture();
      expect(await run([...base, ...args], c.io), args.join(' ')).toBe(2);
      expect(c.err.join('\n')).toMatch(message);
      expect(c.err.join('\n')).toContain('usage: jiedai export-logs');
    }
    const empty = capture();
    expect(await run(['export-logs', '--from', '2024-06-18', '--to', '2024-06-18', '--out', out, '--data-dir', tempDir()], empty.io)).toBe(
      2,
    );
    expect(empty.err.join('')).toMatch(/no shop data in/);
    expect(fs.readdirSync(dir).filter((f) => f !== 'jiedai.sqlite' && !f.startsWith('jiedai.sqlite-'))).toEqual([]);
  });
});

describe('jiedai seed-demo --messages', () => {
  it('adds N messages of history to the demo shop', async () => {
    const dir = tempDir();
    const c = capture();
    expect(await run(['seed-demo', '--messages', '3000', '--data-dir', dir, '--json'], c.io)).toBe(0);
    const summary = JSON.parse(c.out.join('')) as {
      seeded: boolean;
      history: { messages: number; conversations: number };
      counts: Record<string, number>;
    };
    expect(summary.seeded).toBe(true);
    expect(summary.history.messages).toBe(3000);
    const again = capture();
    expect(await run(['seed-demo', '--messages', '1_000', '--data-dir', dir, '--json'], again.io)).toBe(0);
    const second = JSON.parse(again.out.join('')) as typeof summary;
    expect(second.seeded).toBe(false);
    expect(second.counts.messages! - summary.counts.messages!).toBe(1000);
  });

  it('exits 2 for a count that is not a whole number', async () => {
    for (const n of ['abc', '1e6', '2.5', '', '999999999999']) {
      const c = capture();
      expect(await run(['seed-demo', '--messages', n, '--data-dir', tempDir()], c.io), n).toBe(2);
      expect(c.err.join('')).toMatch(/--messages takes a whole number/);
    }
    // A negative number reads as an option to node's parser: still a usage error.
    expect(await run(['seed-demo', '--messages', '-5', '--data-dir', tempDir()], capture().io)).toBe(2);
  });
});
