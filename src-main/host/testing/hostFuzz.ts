import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import type WebSocket from 'ws';
import { ERROR_CODES } from '../../../shared/contract/errors';
import { methods, type MethodName } from '../../../shared/contract/methods';
import { MAX_FRAME_BYTES } from '../../../shared/contract/socket';
import { CoreClient } from '../../core/coreClient';
import { startHost, type Host } from '../hostServer';
import { mulberry32 } from '../../services/demo/random';
import { desk, type Heard } from './hostKit';

/**
 * A bounded, seeded fuzz of the browser-mode host against the real core in its thread: every contract
 * method with hostile arguments (wrong types, huge strings, deep nesting, prototype keys, Infinity and
 * -0 through JSON, unicode junk), frames that are not calls, and WebSocket protocol errors. The fast
 * tier runs a few hundred cases (hostFuzz.test.ts), the soak tier thousands (tests/soak/hostFuzz.test.ts).
 */

const METHOD_NAMES = Object.keys(methods) as MethodName[];
const FIELD_POOL = [
  'id',
  'conversationId',
  'customerId',
  'orderId',
  'tagId',
  'groupId',
  'jobId',
  'clientId',
  'agentId',
  'text',
  'name',
  'color',
  'remark',
  'flag',
  'memo',
  'cursor',
  'limit',
  'before',
  'after',
  'part',
  'mutations',
  'filters',
  'format',
  'destination',
  'locale',
  'status',
  'state',
  'enabled',
  'intervalMs',
  'fileName',
  'dataBase64',
  'scope',
  'mode',
];

/** Raw JSON texts (not values: some cannot be made by JSON.stringify, like 1e999 or a lone surrogate). */
function hostileJson(r: () => number, depth = 0): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const kind = Math.floor(r() * 16);
  switch (kind) {
    case 0:
      return pick(['null', 'true', 'false', '0', '-0', '1e999', '-1e999', '1e308', '5e-324', '9007199254740993', '-1', '1.5', '"NaN"']);
    case 1:
      return JSON.stringify(
        pick([
          '',
          ' ',
          '\u0000',
          '\u202e',
          '🙂'.repeat(50),
          '%00',
          '../../etc/passwd',
          '<img src=x onerror=alert(1)>',
          "'; DROP TABLE messages; --",
          '#ff00ff',
          'a'.repeat(65),
        ]),
      );
    case 2:
      return `"${pick(['\\ud800', '\\udfff', '\\u0000\\u0000', '\\uffff', '\\ud83d\\ude42\\ud800'])}"`;
    case 3:
      return JSON.stringify('长'.repeat(Math.floor(r() * 200_000)));
    case 4: {
      const n = 60 + Math.floor(r() * 5000);
      return '['.repeat(n) + ']'.repeat(n);
    }
    case 5: {
      const n = 10 + Math.floor(r() * 6000);
      return '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    }
    case 6:
      return pick([
        '{"__proto__":{"polluted":1}}',
        '{"constructor":{"prototype":{"polluted":1}}}',
        '{"prototype":1}',
        '[{"__proto__":null}]',
      ]);
    case 7:
      return `[${Array.from({ length: Math.floor(r() * 3000) }, () => '0').join(',')}]`;
    case 8:
      return `{${Array.from({ length: Math.floor(r() * 500) }, (_, i) => `"k${i}":${i}`).join(',')}}`;
    default: {
      if (depth > 3) return '{}';
      const count = Math.floor(r() * 4);
      const fields = Array.from({ length: count }, () => `${JSON.stringify(pick(FIELD_POOL))}:${hostileJson(r, depth + 1)}`);
      return `{${fields.join(',')}}`;
    }
  }
}

/** Hostile args for a method: its own field names with hostile values, or something that is not an object at all. */
function hostileArgs(r: () => number, method: MethodName): string {
  const shape = (methods[method]?.args as unknown as { shape?: Record<string, unknown> } | undefined)?.shape ?? {};
  const own = Object.keys(shape);
  if (r() < 0.15 || own.length === 0) return hostileJson(r);
  const fields = own.filter(() => r() < 0.8).map((k) => `${JSON.stringify(k)}:${hostileJson(r)}`);
  if (r() < 0.2) fields.push(`${JSON.stringify(FIELD_POOL[Math.floor(r() * FIELD_POOL.length)])}:${hostileJson(r)}`);
  return `{${fields.join(',')}}`;
}

/** Frames that are not calls at all. */
const JUNK_FRAMES = [
  'null',
  '0',
  '"x"',
  '[]',
  '{}',
  'not json',
  '{"type":"call"}',
  '{"type":"event","name":"sync.poked","payload":{}}',
  '{"type":"call","id":"1","method":"app.info"}',
  '{"type":"call","id":1e999,"method":"app.info"}',
  '{"type":"call","id":900000001,"method":null}',
  '{"type":"call","id":900000002,"method":"constructor"}',
  '{"type":"call","id":900000003,"method":"__proto__"}',
  '{"type":"call","id":900000004,"method":"toString"}',
  '{"type":"call","id":900000005,"method":"hasOwnProperty","args":{}}',
];

export type FuzzReport = {
  cases: number;
  answered: number;
  refused: number;
  codes: Record<string, number>;
  problems: string[];
  heapGrowthMb: number;
};

function forceGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** Starts a real core and host, runs `cases` seeded cases, checks every answer, and stops both. */
export async function runHostFuzz(options: {
  seed: number;
  cases: number;
  protocolRounds: number;
  log?: (line: string) => void;
}): Promise<FuzzReport> {
  const r = mulberry32(options.seed);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-fuzz-'));
  const renderer = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-fuzz-renderer-'));
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html>');
  const core = await CoreClient.start({ dataDir, demoBuyers: { enabled: false } });
  let host: Host | undefined;
  const report: FuzzReport = { cases: 0, answered: 0, refused: 0, codes: {}, problems: [], heapGrowthMb: 0 };
  const gc = forceGc();
  try {
    host = await startHost({ core, rendererDir: renderer });
    const h = host;
    // Warm up (first calls load code and caches), then take the baseline.
    const warm = await desk(h);
    for (const m of ['app.info', 'conversations.list', 'stats.counts']) await warm.call(m, {});
    warm.ws.close();
    gc();
    const baseline = process.memoryUsage().heapUsed;

    const d = await desk(h);
    let id = 1;
    const batch = 40;
    while (report.cases < options.cases) {
      const ids: number[] = [];
      for (let i = 0; i < batch && report.cases < options.cases; i++, report.cases++) {
        const callId = id++;
        if (r() < 0.08) {
          d.ws.send(JUNK_FRAMES[Math.floor(r() * JUNK_FRAMES.length)]!);
          continue; // answered by a refusal, with or without an id: counted below
        }
        const method = r() < 0.03 ? 'no.such' : METHOD_NAMES[Math.floor(r() * METHOD_NAMES.length)]!;
        d.ws.send(`{"type":"call","id":${callId},"method":${JSON.stringify(method)},"args":${hostileArgs(r, method as MethodName)}}`);
        ids.push(callId);
      }
      const want = new Set(ids);
      if (want.size > 0) await d.until((m) => m.type === 'result' && want.has(m.id!), want.size);
    }
    // Every junk frame is answered too: one more call after all of them proves they were read.
    await d.call('app.info', {});
    for (const m of d.heard) check(m, report);
    d.ws.close();

    for (let round = 0; round < options.protocolRounds; round++) await protocolErrors(h, r, report);

    const after = await desk(h);
    const info = await after.call('app.info', {});
    if (!info.ok) report.problems.push(`the host no longer answers app.info: ${JSON.stringify(info)}`);
    after.ws.close();
    await waitFor(() => h.sockets() === 0, 'every fuzz socket is forgotten');
    d.heard.length = 0;
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      gc();
    }
    report.heapGrowthMb = (process.memoryUsage().heapUsed - baseline) / 1024 / 1024;
    options.log?.(
      `host fuzz seed ${options.seed}: ${report.cases} cases, ${report.answered} answered, ${report.refused} refused, codes ${JSON.stringify(report.codes)}, heap +${report.heapGrowthMb.toFixed(1)} MB`,
    );
    return report;
  } finally {
    await host?.close();
    await core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(renderer, { recursive: true, force: true });
  }
}

function check(m: Heard, report: FuzzReport): void {
  if (m.type === 'refused') {
    report.refused++;
    if (m.error?.code !== 'invalid_argument')
      report.problems.push(`a refusal without invalid_argument: ${JSON.stringify(m).slice(0, 200)}`);
    return;
  }
  if (m.type === 'event') return;
  if (m.type !== 'result' || !m.result) return void report.problems.push(`an unexpected message: ${JSON.stringify(m).slice(0, 200)}`);
  report.answered++;
  if (m.result.ok) return;
  const code = m.result.error.code;
  report.codes[code] = (report.codes[code] ?? 0) + 1;
  if (!(ERROR_CODES as readonly string[]).includes(code))
    report.problems.push(`an untyped error: ${JSON.stringify(m.result).slice(0, 200)}`);
  if (code === 'internal')
    report.problems.push(`an internal error (a handler threw on hostile input): ${JSON.stringify(m.result).slice(0, 300)}`);
}

/** Each on its own socket: the host closes it with the protocol's code, and must stay up. */
async function protocolErrors(h: Host, r: () => number, report: FuzzReport): Promise<void> {
  const cases: [string, number, (ws: WebSocket) => void][] = [
    ['invalid UTF-8', 1007, (ws) => ws.send(Buffer.from([0x22, 0xc3, 0x28, 0x22]), { binary: false })],
    ['an unmasked frame', 1002, (ws) => raw(ws, [0x81, 0x01, 0x41])],
    ['an unknown opcode', 1002, (ws) => raw(ws, [0x80 | (3 + Math.floor(r() * 5)), 0x80, 0, 0, 0, 0])],
    ['reserved bits', 1002, (ws) => raw(ws, [0x81 | 0x40, 0x80, 0, 0, 0, 0])],
    ['a fragmented control frame', 1002, (ws) => raw(ws, [0x09, 0x80, 0, 0, 0, 0])],
    ['a claimed length past the bound', 1009, (ws) => raw(ws, [0x81, 0xff, 0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0])],
    ['a frame one byte past the bound', 1009, (ws) => ws.send('x'.repeat(MAX_FRAME_BYTES + 1))],
  ];
  for (const [what, code, send] of cases) {
    if (code === 1009 && what.includes('one byte') && r() < 0.7) continue; // 32 MB each: not every round
    report.cases++;
    const d = await desk(h);
    send(d.ws);
    const closed = await d.closed;
    if (closed !== code) report.problems.push(`${what}: closed with ${closed}, expected ${code}`);
  }
}

function raw(ws: WebSocket, bytes: number[]): void {
  (ws as unknown as { _socket: NodeJS.WritableStream })._socket.write(Buffer.from(bytes));
}

async function waitFor(test: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > until) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
