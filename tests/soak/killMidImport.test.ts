import 'fake-indexeddb/auto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../src-main/core/core';
import { ReplicaDb } from '../../src-renderer/db/replicaDb';
import { SyncEngine } from '../../src-renderer/db/syncEngine';
import { replicaDiff } from '../sync/compare';
import { directTransport } from '../sync/transport';

/**
 * Killing the core's process in the middle of a big import (SIGKILL: no orderly close, no WAL
 * checkpoint) leaves a file that opens, checks clean, holds all of the import or none of it, and
 * whose change feed still explains its tables: a replica that synced before the kill catches up
 * after it, and a new one bootstraps, both equal to the core. Some kills hit the CLI anywhere in its
 * run; others surely inside the transaction (after its first page reached the WAL).
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const ROWS = 4000;
let dir = '';
let csv = '';

/** The CLI's own import (`jiedai import-phrases --commit`), or the child that spills its transaction into the WAL. */
function importProcess(dataDir: string, how: 'cli' | 'spilling' = 'cli') {
  const args =
    how === 'cli'
      ? [path.join(ROOT, 'src-main/cli/jiedai.ts'), 'import-phrases', csv, '--commit', '--data-dir', dataDir]
      : [path.join(ROOT, 'tests/soak/importChild.ts'), dataDir, csv];
  return spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

const walSize = (dataDir: string) => {
  const wal = path.join(dataDir, 'jiedai.sqlite-wal');
  return fs.existsSync(wal) ? fs.statSync(wal).size : 0;
};

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

    // How long the spilling child's transaction lasts, from its first spilled page to its exit.
    const spillTiming = path.join(dir, 'spill-timing');
    copyShop(spillTiming);
    const spiller = importProcess(spillTiming, 'spilling');
    const spillExit = new Promise<void>((r) => spiller.once('exit', () => r()));
    while (walSize(spillTiming) === 0 && spiller.exitCode === null) await new Promise((r) => setTimeout(r, 2));
    const spillStart = Date.now();
    await spillExit;
    const inTransaction = Date.now() - spillStart;

    const plans: {
      label: string;
      how: 'cli' | 'spilling';
      wait: (dataDir: string, child: ReturnType<typeof importProcess>) => Promise<void>;
    }[] = [
      // The CLI, black box: kills spread over its whole run.
      ...[0.6, 0.85, 0.97].map((f) => ({
        label: `cli at ${f}`,
        how: 'cli' as const,
        wait: () => new Promise<void>((r) => setTimeout(r, Math.round(whole * f))),
      })),
      // Inside the transaction for sure: after its first page reached the WAL, before its commit.
      ...[0, 0.2, 0.5, 0.8].map((f) => ({
        label: `in transaction at ${f}`,
        how: 'spilling' as const,
        wait: async (dataDir: string, child: ReturnType<typeof importProcess>) => {
          while (walSize(dataDir) === 0 && child.exitCode === null) await new Promise((r) => setTimeout(r, 1));
          await new Promise((r) => setTimeout(r, Math.round(inTransaction * f)));
        },
      })),
    ];
    const outcomes: string[] = [];
    let midTransaction = 0;
    for (const [n, plan] of plans.entries()) {
      const dataDir = path.join(dir, `kill-${n}`);
      copyShop(dataDir);
      // A replica that synced before the crash.
      const before = new Core({ dataDir, demoBuyers: { enabled: false } });
      const replicaCount = before.store.stats.counts().replies ?? 0;
      const early = new ReplicaDb(`kill-early-${n}`);
      await sync(before, early);
      before.close();

      const child = importProcess(dataDir, plan.how);
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      await plan.wait(dataDir, child);
      child.kill('SIGKILL');
      await exited;
      // Pages the transaction spilled before its commit sit in the WAL: with nothing of the import
      // committed, they are the evidence the kill landed inside it.
      const walBytes = walSize(dataDir);

      const core = new Core({ dataDir, demoBuyers: { enabled: false } });
      try {
        const db = core.store.db;
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('foreign_key_check')).toEqual([]);
        const replies = core.store.stats.counts().replies;
        expect([replicaCount, replicaCount + ROWS]).toContain(replies);
        outcomes.push(`${plan.label}: ${replies === replicaCount ? 'none' : 'all'} (WAL ${Math.round(walBytes / 1024)} KiB)`);
        if (replies === replicaCount && walBytes > 0) midTransaction += 1;
        // The feed explains the table: every phrase has a change, and no change names a phrase that is not there.
        expect(
          db
            .prepare(
              "SELECT count(*) FROM replies r WHERE NOT EXISTS (SELECT 1 FROM changes c WHERE c.entity = 'phrase' AND c.entity_id = r.id)",
            )
            .pluck()
            .get(),
        ).toBe(0);
        expect(
          db
            .prepare(
              `SELECT count(*) FROM (SELECT entity_id, max(seq) AS last FROM changes WHERE entity = 'phrase' GROUP BY entity_id) x
               JOIN changes c ON c.seq = x.last WHERE c.op = 'upsert' AND NOT EXISTS (SELECT 1 FROM replies r WHERE r.id = x.entity_id)`,
            )
            .pluck()
            .get(),
        ).toBe(0);
        const agentId = core.store.settings.get<string>('currentAgentId', '');
        await sync(core, early);
        expect(await replicaDiff(core.store, early, agentId)).toEqual([]);
        const fresh = new ReplicaDb(`kill-fresh-${n}`);
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
    console.log(`CLI import ${whole} ms, transaction ${inTransaction} ms; ${outcomes.join('; ')}`);
    expect(midTransaction, 'no kill landed inside the transaction').toBeGreaterThan(0);
  }, 180_000);
});
