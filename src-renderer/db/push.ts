import { newId } from '../../shared/domain/ids';
import { boundedBatch } from '../../shared/sync/protocol';
import type { EngineContext } from './engineContext';
import { pushOutcomes, rebase, recordOutcomes } from './rebase';

/**
 * Pushing: sends the outbox in queue order, a batch at a time, under this replica's client id, and
 * notes where the core recorded each mutation. An entry leaves the outbox only when a pulled change
 * covers it (rebase.ts: settle), so after a push the engine pulls.
 */
export class Pusher {
  private clientId: string | null = null;

  constructor(
    private readonly ctx: EngineContext,
    private readonly requestPull: () => void,
  ) {}

  async pushOnce(): Promise<'done' | 'again' | 'retry'> {
    const { db, opts } = this.ctx;
    const clientId = await this.ensureClientId();
    const waiting = (await db.outbox.orderBy('seq').toArray()).filter((e) => e.status === 'pending' && e.doneSeq === undefined);
    const batch = boundedBatch(waiting.slice(0, opts.pushBatch));
    if (batch.length === 0) return 'done';
    const result = await this.ctx.call('sync.push', {
      clientId,
      mutations: batch.map((e) => ({ mutationId: e.mutationId, name: e.name, args: e.args })),
    });
    await db.transaction('rw', db.all(), async () => {
      await recordOutcomes(db, pushOutcomes(result.results));
      // A reply the core applied is sent: it shows so now, not after the pull that brings its stored copy.
      const applied = new Set(result.results.filter((r) => r.status === 'applied').map((r) => r.mutationId));
      const replies = batch
        .filter((e) => e.name === 'messages.send' && applied.has(e.mutationId))
        .map((e) => (e.args as { id: string }).id);
      for (const m of await db.messages.bulkGet(replies)) {
        if (m?.local?.status === 'pending') await db.messages.put({ ...m, local: { ...m.local, status: 'sent' } });
      }
      // After a rebuild the snapshot may already hold their effect: settle what the cursor covers.
      const cursor = await db.getMeta<number | null>('cursor', null);
      if (cursor !== null && result.results.some((r) => r.seq <= cursor)) await rebase(db, async () => undefined, cursor);
    });
    this.ctx.status.setStoreFault(result.stopped ?? null);
    this.requestPull();
    // The core answers fewer when it could not write the rest right now: try those again later.
    if (result.results.length < batch.length) return 'retry';
    return waiting.length > batch.length ? 'again' : 'done';
  }

  /** This replica's id as a client of the core (made once, kept in meta, shared by its windows). */
  async ensureClientId(): Promise<string> {
    if (this.clientId) return this.clientId;
    const { db } = this.ctx;
    const id = await db.transaction('rw', db.meta, async () => {
      const existing = await db.getMeta<string | null>('clientId', null);
      if (existing) return existing;
      const made = newId();
      await db.setMeta('clientId', made);
      return made;
    });
    this.clientId = id;
    return id;
  }
}
