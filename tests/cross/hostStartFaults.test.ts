import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** The browser-mode host from source; as root it runs as nobody, so folder permissions apply to it. */
function host(dataDir: string): Promise<{ code: number | null; stderr: string }> {
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/host/server.ts', '--port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, LC_ALL: 'en_US.UTF-8', HOME: os.tmpdir() },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...asNobody,
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.on('data', (c: Buffer) => {
    if (c.toString().includes('Open: ')) child.kill();
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-host-faults-'));
  fs.chmodSync(d, 0o755);
  dirs.push(d);
  return d;
}

describe('the host started on a data folder it cannot use', () => {
  it('says a read-only folder in a sentence and exits non-zero', { timeout: 60_000 }, async () => {
    const dir = path.join(tmp(), 'data');
    fs.mkdirSync(dir, { mode: 0o555 });
    fs.chmodSync(dir, 0o555);
    const { code, stderr } = await host(dir);
    expect(code).not.toBe(0);
    expect(stderr.trim()).toBe(
      `jiedai web: Jiedai has no permission to use the data folder ${dir}. Check its permissions, or choose another folder (--data-dir).`,
    );
  });

  it('says a path that is a file is not a folder', { timeout: 60_000 }, async () => {
    const file = path.join(tmp(), 'shop.txt');
    fs.writeFileSync(file, 'x');
    const { code, stderr } = await host(file);
    expect(code).not.toBe(0);
    expect(stderr).toContain(`jiedai web: ${file} is not a folder`);
    expect(stderr).not.toMatch(/\[object Object\]|\n\s+at /);
  });
});
