import { PERSONAL_SYNC_ROWS_MAX, type StoredHold } from '../../shared/domain/personal';
import type { Db } from './connection';

export type PersonalRow = {
  conversationId: string;
  hold: StoredHold | null;
  draft: string;
  updatedAt: number;
  /** A `buyer` hold: the buyer's first message after it was set (null: none yet, or another kind). */
  buyerAfter: number | null;
};

/** A row with when each of its contents was written (a team's hub keeps the newest write of each). */
export type PersonalSyncRow = {
  conversationId: string;
  hold: StoredHold | null;
  holdAt: number;
  draft: string;
  draftAt: number;
};

/** A personal write a team desk has not handed to its hub yet (one per agent, conversation and content). */
export type PersonalOutboxEntry = {
  seq: number;
  agentId: string;
  conversationId: string;
  at: number;
} & ({ field: 'hold'; hold: StoredHold | null } | { field: 'draft'; draft: string });

type Raw = {
  conversation_id: string;
  hold: 'held' | 'until' | 'buyer' | null;
  hold_since: number | null;
  hold_until: number | null;
  draft: string;
  updated_at: number;
  buyer_after: number | null;
  hold_at: number;
  draft_at: number;
};

type RawOutbox = {
  seq: number;
  agent_id: string;
  conversation_id: string;
  field: 'hold' | 'draft';
  hold: 'held' | 'until' | 'buyer' | null;
  hold_until: number | null;
  draft: string | null;
  at: number;
};

function holdOf(r: Pick<Raw, 'hold' | 'hold_since' | 'hold_until'>): StoredHold | null {
  if (r.hold === null || r.hold_since === null) return null;
  if (r.hold === 'until') return { kind: 'until', until: r.hold_until ?? 0, since: r.hold_since };
  return { kind: r.hold, since: r.hold_since };
}

const rowOf = (r: Raw): PersonalRow => ({
  conversationId: r.conversation_id,
  hold: holdOf(r),
  draft: r.draft,
  updatedAt: r.updated_at,
  buyerAfter: r.buyer_after,
});

const SELECT = `
  SELECT p.conversation_id, p.hold, p.hold_since, p.hold_until, p.draft, p.updated_at, p.hold_at, p.draft_at,
    CASE WHEN p.hold = 'buyer' THEN (
      SELECT m.created_at FROM messages m
      WHERE m.conversation_id = p.conversation_id AND m.created_at > p.hold_since AND m.sender = 'buyer'
      ORDER BY m.created_at LIMIT 1
    ) END AS buyer_after
  FROM personal_conversations p
  JOIN conversations c ON c.id = p.conversation_id AND c.status = 'open'`;

const NEWER_UPDATE = `CASE WHEN excluded.updated_at > personal_conversations.updated_at
  THEN excluded.updated_at ELSE personal_conversations.updated_at END`;

/** A row holding something (an empty one only remembers when it was cleared). */
const FULL = `(p.hold IS NOT NULL OR p.draft <> '')`;

/**
 * An agent's holds, snoozes and drafts (migration 0019), one row per agent and conversation. Every
 * read and write names the agent: the service passes the caller's, never one from the arguments.
 * Only open conversations are read. Each content keeps when it was written (migration 0021) and a
 * write older than the stored one of the same content changes nothing (last writer by the time of
 * writing wins, as a team's hub needs); a row left with neither a hold nor a draft stays, empty, as
 * the record of that clearing, and is never listed or counted.
 */
export function personalQueries(db: Db) {
  // Prepared on first use: a store opened over an older schema (a migration's test) never needs them.
  let prepared: ReturnType<typeof prepare> | undefined;
  const prepare = () => ({
    list: db.prepare(`${SELECT} WHERE p.agent_id = ? AND ${FULL} ORDER BY p.conversation_id`),
    // Rows with content first, then the empty ones (a clearing another PC should hear of), bounded.
    listAll: db.prepare(`${SELECT} WHERE p.agent_id = ? ORDER BY CASE WHEN ${FULL} THEN 0 ELSE 1 END, p.conversation_id LIMIT ?`),
    get: db.prepare(`${SELECT} WHERE p.agent_id = ? AND p.conversation_id = ? AND ${FULL}`),
    exists: db.prepare(`SELECT 1 FROM personal_conversations p WHERE agent_id = ? AND conversation_id = ? AND ${FULL}`).pluck(),
    known: db.prepare('SELECT 1 FROM personal_conversations WHERE agent_id = ? AND conversation_id = ?').pluck(),
    times: db.prepare('SELECT hold_at, draft_at FROM personal_conversations WHERE agent_id = ? AND conversation_id = ?'),
    count: db.prepare(`SELECT count(*) FROM personal_conversations p WHERE agent_id = ? AND ${FULL}`).pluck(),
    setHold: db.prepare(
      `INSERT INTO personal_conversations (agent_id, conversation_id, hold, hold_since, hold_until, draft, updated_at, hold_at, draft_at)
       VALUES (@agentId, @conversationId, @hold, @since, @until, '', @at, @at, 0)
       ON CONFLICT (agent_id, conversation_id) DO UPDATE SET
         hold = excluded.hold, hold_since = excluded.hold_since, hold_until = excluded.hold_until,
         hold_at = excluded.hold_at, updated_at = ${NEWER_UPDATE}
       WHERE excluded.hold_at >= personal_conversations.hold_at`,
    ),
    setDraft: db.prepare(
      `INSERT INTO personal_conversations (agent_id, conversation_id, hold, hold_since, hold_until, draft, updated_at, hold_at, draft_at)
       VALUES (@agentId, @conversationId, NULL, NULL, NULL, @draft, @at, 0, @at)
       ON CONFLICT (agent_id, conversation_id) DO UPDATE SET
         draft = excluded.draft, draft_at = excluded.draft_at, updated_at = ${NEWER_UPDATE}
       WHERE excluded.draft_at >= personal_conversations.draft_at`,
    ),
    pruneClosed: db.prepare(
      `DELETE FROM personal_conversations WHERE agent_id = ? AND conversation_id NOT IN
         (SELECT id FROM conversations WHERE status = 'open')`,
    ),
    dropAll: db.prepare('DELETE FROM personal_conversations'),
    outboxDrop: db.prepare('DELETE FROM personal_outbox WHERE agent_id = ? AND conversation_id = ? AND field = ?'),
    outboxAdd: db.prepare(
      `INSERT INTO personal_outbox (agent_id, conversation_id, field, hold, hold_until, draft, at)
       VALUES (@agentId, @conversationId, @field, @hold, @until, @draft, @at)`,
    ),
    outboxCount: db.prepare('SELECT count(*) FROM personal_outbox').pluck(),
    outboxBatch: db.prepare('SELECT * FROM personal_outbox WHERE agent_id = ? ORDER BY seq LIMIT ?'),
    outboxPendingOf: db.prepare('SELECT DISTINCT conversation_id FROM personal_outbox WHERE agent_id = ?').pluck(),
    outboxDone: db.prepare('DELETE FROM personal_outbox WHERE seq = ?'),
    outboxOthers: db.prepare('DELETE FROM personal_outbox WHERE agent_id <> ?'),
    outboxClear: db.prepare('DELETE FROM personal_outbox'),
  });
  const q = () => (prepared ??= prepare());
  return {
    list(agentId: string): PersonalRow[] {
      return (q().list.all(agentId) as Raw[]).map(rowOf);
    },
    get(agentId: string, conversationId: string): PersonalRow | null {
      const r = q().get.get(agentId, conversationId) as Raw | undefined;
      return r ? rowOf(r) : null;
    },
    /** Whether the agent keeps a row for this conversation (a new one counts against the limit). */
    has(agentId: string, conversationId: string): boolean {
      return q().exists.get(agentId, conversationId) !== undefined;
    },
    count(agentId: string): number {
      return q().count.get(agentId) as number;
    },
    /** Removes the agent's rows of conversations that ended or are gone; answers how many. */
    pruneClosed(agentId: string): number {
      return q().pruneClosed.run(agentId).changes;
    },
    /** Sets or clears the hold unless a newer hold write is stored; answers whether it was taken. */
    setHold(agentId: string, conversationId: string, hold: StoredHold | null, at: number): boolean {
      return (
        q().setHold.run({
          agentId,
          conversationId,
          hold: hold?.kind ?? null,
          since: hold?.since ?? null,
          until: hold?.kind === 'until' ? hold.until : null,
          at,
        }).changes > 0
      );
    },
    /** Sets or clears ('') the draft unless a newer draft write is stored; answers whether it was taken. */
    setDraft(agentId: string, conversationId: string, draft: string, at: number): boolean {
      return q().setDraft.run({ agentId, conversationId, draft, at }).changes > 0;
    },
    /** When the row's hold and draft were last written (null: no row, not even an empty one). */
    times(agentId: string, conversationId: string): { holdAt: number; draftAt: number } | null {
      const r = q().times.get(agentId, conversationId) as { hold_at: number; draft_at: number } | undefined;
      return r ? { holdAt: r.hold_at, draftAt: r.draft_at } : null;
    },
    /** Whether any row (an empty one too) is kept for this agent and conversation. */
    known(agentId: string, conversationId: string): boolean {
      return q().known.get(agentId, conversationId) !== undefined;
    },
    /** The agent's rows of open conversations with their write times, empty ones after those with content (what a hub answers a desk). */
    syncRows(agentId: string, limit = PERSONAL_SYNC_ROWS_MAX): PersonalSyncRow[] {
      return (q().listAll.all(agentId, limit) as Raw[]).map((r) => ({
        conversationId: r.conversation_id,
        hold: holdOf(r),
        holdAt: r.hold_at,
        draft: r.draft,
        draftAt: r.draft_at,
      }));
    },
    /** Queues a write for the hub, replacing the same content's older unsent write. */
    enqueue(agentId: string, conversationId: string, write: { hold: StoredHold | null } | { draft: string }, at: number): void {
      const field = 'draft' in write ? 'draft' : 'hold';
      q().outboxDrop.run(agentId, conversationId, field);
      const hold = 'hold' in write ? write.hold : null;
      q().outboxAdd.run({
        agentId,
        conversationId,
        field,
        hold: hold?.kind ?? null,
        until: hold?.kind === 'until' ? hold.until : null,
        draft: 'draft' in write ? write.draft : null,
        at,
      });
    },
    outboxCount(): number {
      return q().outboxCount.get() as number;
    },
    /** The agent's oldest unsent writes, in the order they were made; other agents' are dropped (not this desk's account). */
    outboxBatch(agentId: string, limit: number): PersonalOutboxEntry[] {
      q().outboxOthers.run(agentId);
      return (q().outboxBatch.all(agentId, limit) as RawOutbox[]).map((r) => {
        const base = { seq: r.seq, agentId: r.agent_id, conversationId: r.conversation_id, at: r.at };
        if (r.field === 'draft') return { ...base, field: 'draft', draft: r.draft ?? '' };
        const hold: StoredHold | null =
          r.hold === null
            ? null
            : r.hold === 'until'
              ? { kind: 'until', until: r.hold_until ?? 0, since: r.at }
              : { kind: r.hold, since: r.at };
        return { ...base, field: 'hold', hold };
      });
    },
    /** Conversations with a write still waiting for the hub. */
    outboxPending(agentId: string): Set<string> {
      return new Set(q().outboxPendingOf.all(agentId) as string[]);
    },
    /** The hub took these. */
    outboxDone(seqs: number[]): void {
      for (const seq of seqs) q().outboxDone.run(seq);
    },
    /** Every agent's rows (leaving a team: the team's conversations go, and with them what was kept in them). */
    clear(): void {
      q().dropAll.run();
      q().outboxClear.run();
    },
  };
}

export type PersonalQueries = ReturnType<typeof personalQueries>;
