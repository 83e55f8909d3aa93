import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExportDownload } from '../../shared/contract/logExport';
import { Core } from '../core/core';
import { openStore } from '../store';
import { writeFixture } from '../services/logExport/testFixture';
import { contentDisposition, serveDownload, type DownloadOptions } from './downloads';

const dirs: string[] = [];
const servers: http.Server[] = [];
const cores: Core[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  for (const c of cores.splice(0)) c.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-downloads-'));
  dirs.push(dir);
  return dir;
}

/** A real server on 127.0.0.1 mounting only the download route. */
async function serve(options: DownloadOptions): Promise<number> {
  const server = http.createServer((req, res) => void serveDownload(req, res, options));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
}

function request(port: number, urlPath: string, method = 'GET') {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const TICKET = 'a'.repeat(43);

describe('GET /downloads/<ticket>', () => {
  it('streams the file once as an attachment with its Chinese name, then refuses the used ticket', async () => {
    const exportsDir = path.join(tempDir(), 'exports');
    fs.mkdirSync(exportsDir);
    const file = path.join(exportsDir, '小桃家-聊天记录-2024-06-18.csv');
    const content = Buffer.concat([Buffer.from('\uFEFF时间,内容\r\n'), Buffer.alloc(300_000, 0x61)]);
    fs.writeFileSync(file, content);
    const tickets = new Map([[TICKET, { path: file, fileName: path.basename(file) }]]);
    const port = await serve({
      exportsDir,
      redeem: async (t) => (tickets.delete(t) ? { path: file, fileName: path.basename(file) } : null),
    });
    const first = await request(port, `/downloads/${TICKET}`);
    expect(first.status).toBe(200);
    expect(first.body.equals(content)).toBe(true);
    expect(first.headers['content-length']).toBe(String(content.length));
    expect(first.headers['content-type']).toBe('application/octet-stream');
    expect(first.headers['x-content-type-options']).toBe('nosniff');
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.headers['content-disposition']).toBe(
      `attachment; filename="___-____-2024-06-18.csv"; filename*=UTF-8''${encodeURIComponent('小桃家-聊天记录-2024-06-18.csv')}`,
    );
    expect((await request(port, `/downloads/${TICKET}`)).status).toBe(404);
  });

  it('refuses unknown tickets, odd paths and other methods, and never serves outside exports/', async () => {
    const root = tempDir();
    const exportsDir = path.join(root, 'exports');
    fs.mkdirSync(exportsDir);
    const secret = path.join(root, 'jiedai.sqlite');
    fs.writeFileSync(secret, 'the whole shop');
    fs.symlinkSync(secret, path.join(exportsDir, 'link.csv'));
    const answers: Record<string, { path: string; fileName: string }> = {
      ['o'.repeat(43)]: { path: secret, fileName: 'x.csv' },
      ['l'.repeat(43)]: { path: path.join(exportsDir, 'link.csv'), fileName: 'link.csv' },
      ['d'.repeat(43)]: { path: path.join(exportsDir, '..', 'jiedai.sqlite'), fileName: 'x.csv' },
    };
    const port = await serve({ exportsDir, redeem: async (t) => answers[t] ?? null });
    for (const t of Object.keys(answers)) {
      const r = await request(port, `/downloads/${t}`);
      expect(r.status).toBe(404);
      expect(r.body.toString()).not.toContain('the whole shop');
    }
    expect((await request(port, `/downloads/${'z'.repeat(43)}`)).status).toBe(404);
    expect((await request(port, '/downloads/..%2f..%2fjiedai.sqlite')).status).toBe(404);
    expect((await request(port, '/downloads/')).status).toBe(404);
    expect((await request(port, `/downloads/${'o'.repeat(43)}`, 'POST')).status).toBe(405);
  });

  it('quotes no header-breaking characters into Content-Disposition', () => {
    expect(contentDisposition('a"b\\c\r\n.csv')).toBe(`attachment; filename="a_b_c__.csv"; filename*=UTF-8''a%22b%5Cc%0D%0A.csv`);
    expect(contentDisposition("it's (1).csv")).toBe(`attachment; filename="it's (1).csv"; filename*=UTF-8''it%27s%20%281%29.csv`);
  });

  it('serves what the core finished, by the ticket the core issued over the contract', async () => {
    const dir = tempDir();
    const store = openStore(path.join(dir, 'jiedai.sqlite'));
    writeFixture(store, 'ag-boss');
    store.close();
    const core = new Core({ dataDir: dir, seedDemo: false, demoBuyers: { enabled: false } });
    cores.push(core);
    const started = await core.call('logExport.start', { filters: { from: '2024-06-18', to: '2024-06-18' }, format: 'csv' }, 'test');
    if (!started.ok) throw new Error(started.error.message);
    const { jobId, path: file } = started.value as { jobId: string; path: string };
    expect((await core.logExport.whenFinished(jobId)).status).toBe('done');
    const ticket = (await core.call('logExport.download', { jobId }, 'test')) as { ok: true; value: ExportDownload };
    const port = await serve({ exportsDir: path.join(dir, 'exports'), redeem: async (t) => core.redeemDownload(t) });
    const r = await request(port, `/downloads/${ticket.value.ticket}`);
    expect(r.status).toBe(200);
    expect(r.body.equals(fs.readFileSync(file))).toBe(true);
    expect((await request(port, `/downloads/${ticket.value.ticket}`)).status).toBe(404);
  });
});
