import 'fake-indexeddb/auto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../src-main/core/core';
import { ReplicaDb } from '../../src-renderer/db/replicaDb';
import { SyncEngine } from '../../src-renderer/db/syncEngine';
import { replicaDiff } from './compare';
import { directTransport } from './transport';

/**
 * Killing the core's process in the middle of a big import (SIGKILL: no orderly close, no WAL
 * checkpoint) leaves a file that opens, checks clean, holds all of the import or none of it, and
 * whose change feed still explains its tables: a replica that synced before the kill catches up
 * after it, and a new one bootstraps, both equal to the core.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const ROWS = 4000;
let dir = '';
let csv = '';

function importProcess(dataDir: string) {
  return spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src-main/cli/jiedai.ts'), 'import-replies', csv, '--commit', '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function copyShop(to: string) {
  fs.mkdirSync(to, { recursive: true });
  fs.copyFileSync(path.join(dir, 'shop', 'jiedai.sqlite'), path.join(to, 'jiedai.sqlite'));
}

async function sync(core: Core, db: ReplicaDb) {
  const engine = new SyncEngine(db, directTransport(core), { pollMs: 0, log: () => undefined });
  engine.start();
  await engine.idle();
  engine.stop();
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-kill-'));
  new Core({ dataDir: path.join(dir, 'shop'), demoBuyers: { enabled: false } }).close();
  csv = path.join(dir, 'phrases.csv');
  const lines = ['分组,快捷编码,标题,快捷短语'];
  for (let i = 0; i < ROWS; i++) lines.push(`批量导入${i % 40},imp${i},标题${i},亲，这是第${i}条批量导入的短语，感谢您的耐心等待`);
  fs.writeFileSync(csv, `${lines.join('\n')}\n`);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a core process killed mid-import', () => {
  it('leaves the file consistent, with all of the import or none, and replicas catch up after the restart', async () => {
    // How long a whole import takes here, so the kills can land across it.
    const timing = path.join(dir, 'timing');
    copyShop(timing);
    const t0 = Date.now();
    const full = importProcess(timing);
    const code = await new Promise<number | null>((r) => full.once('exit', (c) => r(c)));
    const whole = Date.now() - t0;
    expect(code).toBe(0);

    const outcomes: string[] = [];
    for (const fraction of [0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98]) {
      const dataDir = path.join(dir, `kill-${fraction}`);
      copyShop(dataDir);
      // A replica that synced before the crash.
      const before = new Core({ dataDir, demoBuyers: { enabled: false } });
      const replicaCount = before.store.stats.counts().replies ?? 0;
      const early = new ReplicaDb(`kill-early-${fraction}`);
      await sync(before, early);
      before.close();

      const child = importProcess(dataDir);
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      await new Promise((r) => setTimeout(r, Math.round(whole * fraction)));
      child.kill('SIGKILL');
      await exited;

      const core = new Core({ dataDir, demoBuyers: { enabled: false } });
      try {
        const db = core.store.db;
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('foreign_key_check')).toEqual([]);
        const replies = core.store.stats.counts().replies;
        expect([replicaCount, replicaCount + ROWS]).toContain(replies);
        outcomes.push(replies === replicaCount ? 'none' : 'all');
        // The feed explains the table: every phrase has a change, and no change names a phrase that is not there.
        expect(db.prepare("SELECT count(*) FROM replies r WHERE NOT EXISTS (SELECT 1 FROM changes c WHERE c.entity = 'reply' AND c.entity_id = r.id)").pluck().get()).toBe(0);
        expect(
          db
            .prepare(
              `SELECT count(*) FROM (SELECT entity_id, max(seq) AS last FROM changes WHERE entity = 'reply' GROUP BY entity_id) x
               JOIN changes c ON c.seq = x.last WHERE c.op = 'upsert' AND NOT EXISTS (SELECT 1 FROM replies r WHERE r.id = x.entity_id)`,
            )
            .pluck()
            .get(),
        ).toBe(0);
        const agentId = core.store.settings.get<string>('currentAgentId', '');
        await sync(core, early);
        expect(await replicaDiff(core.store, early, agentId)).toEqual([]);
        const fresh = new ReplicaDb(`kill-fresh-${fraction}`);
        await sync(core, fresh);
        expect(await replicaDiff(core.store, fresh, agentId)).toEqual([]);
        for (const r of [early, fresh]) {
          r.close();
          await r.delete();
        }
      } finally {
        core.close();
      }
    }
    console.log(`killed mid-import at ${whole} ms × [0.5 … 0.98]: ${outcomes.join(', ')}`);
  }, 180_000);
});
