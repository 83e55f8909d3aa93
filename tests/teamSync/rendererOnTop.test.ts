import 'fake-indexeddb/auto';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core/core';
import { ReplicaDb } from '../../src-renderer/db/replicaDb';
import { SyncEngine } from '../../src-renderer/db/syncEngine';
import { replicaDiff } from '../sync/compare';
import { directTransport } from '../sync/transport';
import { act, drain, hubAgents, inProcessHub, joinDesk, makeHub, type TestDesk } from './team';

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

let n = 0;
function renderer(desk: TestDesk) {
  const db = new ReplicaDb(`team-renderer-${++n}`);
  const engine = new SyncEngine(db, directTransport(desk.core, `renderer-${desk.name}`), {
    pollMs: 0,
    retryBaseMs: 5,
    retryMaxMs: 20,
    log: () => undefined,
  });
  cleanup.push(async () => {
    engine.stop();
    db.close();
    await db.delete();
  });
  return { db, engine };
}

async function settled(engine: SyncEngine, db: ReplicaDb, core: Core): Promise<void> {
  await expect
    .poll(
      async () => {
        engine.sync();
        await engine.idle();
        return (
          (await db.getMeta<number | null>('cursor', null)) === core.store.changes.head() &&
          (await db.outbox.filter((e) => e.status === 'pending').count()) === 0
        );
      },
      { timeout: 10_000, message: 'the renderer did not catch up with its desk core' },
    )
    .toBe(true);
}

describe('tier 1 on top of tier 2: the renderer of a team desk', () => {
  it('sees the hub’s shop, and a reply the hub refuses later comes back to it as failed with its retry', async () => {
    const hub = makeHub();
    const accounts = new Map<string, string>();
    const end = inProcessHub(() => hub.core, accounts);
    const [mine, colleague] = await hubAgents(end);
    const a = joinDesk(end, accounts, 'ra', mine!);
    const b = joinDesk(end, accounts, 'rb', colleague!);
    cleanup.push(() => {
      for (const d of [a, b]) {
        d.core.close();
        fs.rmSync(d.dir, { recursive: true, force: true });
      }
      hub.core.close();
      fs.rmSync(hub.dir, { recursive: true, force: true });
    });
    expect(await drain(hub.core, [a, b])).toBeNull();
    const { db, engine } = renderer(a);
    await engine.setAgent(mine!.id);
    engine.start();
    await settled(engine, db, a.core);
    expect(await replicaDiff(a.core.store, db, mine!.id)).toEqual([]);

    const c = (await db.conversations.toArray())[0]!;
    a.link.cut();
    const mutationId = await engine.mutate('messages.send', { id: 'm-refused-later', conversationId: c.id, text: '这条会被拒' });
    await settled(engine, db, a.core);
    // The desk core took it: the bubble is plain (not pending), as any reply the core has.
    expect((await db.messages.get('m-refused-later'))?.local).toBeUndefined();

    await act(b, 'conversations.end', { conversationId: c.id });
    expect(await drain(hub.core, [b])).toBeNull();
    a.link.mend();
    expect(await drain(hub.core, [a, b])).toBeNull();
    await settled(engine, db, a.core);
    // The conversation ended (a colleague did it), so the replica no longer holds it or its messages,
    // and the refused reply waits in the outbox as failed, for its retry.
    const entry = (await db.outbox.toArray()).find((e) => e.mutationId === mutationId);
    expect(entry).toMatchObject({ status: 'rejected', name: 'messages.send', error: { code: 'conflict' } });
    expect(await db.conversations.get(c.id)).toBeUndefined();
    expect(await replicaDiff(a.core.store, db, mine!.id)).toEqual([]);
  });

  it('a memo append the hub refuses later (too long with a colleague’s memo) is undone and becomes a notice on the desk', async () => {
    const hub = makeHub();
    const accounts = new Map<string, string>();
    const end = inProcessHub(() => hub.core, accounts);
    const [mine] = await hubAgents(end);
    const a = joinDesk(end, accounts, 'rn', mine!);
    cleanup.push(() => {
      a.core.close();
      fs.rmSync(a.dir, { recursive: true, force: true });
      hub.core.close();
      fs.rmSync(hub.dir, { recursive: true, force: true });
    });
    expect(await drain(hub.core, [a])).toBeNull();
    const { db, engine } = renderer(a);
    await engine.setAgent(mine!.id);
    engine.start();
    await settled(engine, db, a.core);
    const order = (await db.orders.toArray())[0]!;
    expect(order).toBeDefined();
    a.link.cut();
    // A colleague's long memo lands on the hub meanwhile; the desk's short append fits here, not there.
    hub.core.store.tx(() => hub.core.store.orders.setNote(order.id, { flag: 0, memo: '长'.repeat(480) }, null, Date.now(), 'h1'));
    await engine.mutate('orders.setNotes', { orderIds: [order.id], memo: '追加'.repeat(30), memoMode: 'append' });
    await settled(engine, db, a.core);
    expect((await db.orderNotes.get(order.id))?.memo).toContain('追加');
    a.link.mend();
    expect(await drain(hub.core, [a])).toBeNull();
    await settled(engine, db, a.core);
    const notices = await db.notices.toArray();
    expect(notices.map((x) => [x.name, x.error.code])).toContainEqual(['orders.setNotes', 'limit_exceeded']);
    expect((await db.orderNotes.get(order.id))?.memo).toBe('长'.repeat(480));
    expect(await replicaDiff(a.core.store, db, mine!.id)).toEqual([]);
  });
});
