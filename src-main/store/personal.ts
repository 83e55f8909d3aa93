import type { StoredHold } from '../../shared/domain/personal';
import type { Db } from './connection';

export type PersonalRow = {
  conversationId: string;
  hold: StoredHold | null;
  draft: string;
  updatedAt: number;
  /** A `buyer` hold: the buyer's first message after it was set (null: none yet, or another kind). */
  buyerAfter: number | null;
};

type Raw = {
  conversation_id: string;
  hold: 'held' | 'until' | 'buyer' | null;
  hold_since: number | null;
  hold_until: number | null;
  draft: string;
  updated_at: number;
  buyer_after: number | null;
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
  SELECT p.conversation_id, p.hold, p.hold_since, p.hold_until, p.draft, p.updated_at,
    CASE WHEN p.hold = 'buyer' THEN (
      SELECT m.created_at FROM messages m
      WHERE m.conversation_id = p.conversation_id AND m.created_at > p.hold_since AND m.sender = 'buyer'
      ORDER BY m.created_at LIMIT 1
    ) END AS buyer_after
  FROM personal_conversations p
  JOIN conversations c ON c.id = p.conversation_id AND c.status = 'open'`;

/**
 * An agent's holds, snoozes and drafts (migration 0019), one row per agent and conversation. Every
 * read and write names the agent: the service passes the caller's, never one from the arguments.
 * Only open conversations are read; a row left with neither a hold nor a draft is deleted.
 */
export function personalQueries(db: Db) {
  // Prepared on first use: a store opened over an older schema (a migration's test) never needs them.
  let prepared: ReturnType<typeof prepare> | undefined;
  const prepare = () => ({
    list: db.prepare(`${SELECT} WHERE p.agent_id = ? ORDER BY p.conversation_id`),
    get: db.prepare(`${SELECT} WHERE p.agent_id = ? AND p.conversation_id = ?`),
    exists: db.prepare('SELECT 1 FROM personal_conversations WHERE agent_id = ? AND conversation_id = ?').pluck(),
    count: db.prepare('SELECT count(*) FROM personal_conversations WHERE agent_id = ?').pluck(),
    setHold: db.prepare(
      `INSERT INTO personal_conversations (agent_id, conversation_id, hold, hold_since, hold_until, draft, updated_at)
       VALUES (@agentId, @conversationId, @hold, @since, @until, '', @at)
       ON CONFLICT (agent_id, conversation_id) DO UPDATE SET
         hold = excluded.hold, hold_since = excluded.hold_since, hold_until = excluded.hold_until, updated_at = excluded.updated_at`,
    ),
    setDraft: db.prepare(
      `INSERT INTO personal_conversations (agent_id, conversation_id, hold, hold_since, hold_until, draft, updated_at)
       VALUES (@agentId, @conversationId, NULL, NULL, NULL, @draft, @at)
       ON CONFLICT (agent_id, conversation_id) DO UPDATE SET draft = excluded.draft, updated_at = excluded.updated_at`,
    ),
    clearHold: db.prepare(
      `UPDATE personal_conversations SET hold = NULL, hold_since = NULL, hold_until = NULL, updated_at = ?
       WHERE agent_id = ? AND conversation_id = ?`,
    ),
    clearDraft: db.prepare(`UPDATE personal_conversations SET draft = '', updated_at = ? WHERE agent_id = ? AND conversation_id = ?`),
    // What clearing the last of a row's two contents does: the row goes (the table keeps no empty row).
    dropIfNoHold: db.prepare('DELETE FROM personal_conversations WHERE agent_id = ? AND conversation_id = ? AND hold IS NULL'),
    dropIfNoDraft: db.prepare(`DELETE FROM personal_conversations WHERE agent_id = ? AND conversation_id = ? AND draft = ''`),
    pruneClosed: db.prepare(
      `DELETE FROM personal_conversations WHERE agent_id = ? AND conversation_id NOT IN
         (SELECT id FROM conversations WHERE status = 'open')`,
    ),
    dropAll: db.prepare('DELETE FROM personal_conversations'),
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
    setHold(agentId: string, conversationId: string, hold: StoredHold | null, at: number): void {
      if (hold === null) {
        q().dropIfNoDraft.run(agentId, conversationId);
        q().clearHold.run(at, agentId, conversationId);
      } else
        q().setHold.run({
          agentId,
          conversationId,
          hold: hold.kind,
          since: hold.since,
          until: hold.kind === 'until' ? hold.until : null,
          at,
        });
    },
    setDraft(agentId: string, conversationId: string, draft: string, at: number): void {
      if (draft === '') {
        q().dropIfNoHold.run(agentId, conversationId);
        q().clearDraft.run(at, agentId, conversationId);
      } else q().setDraft.run({ agentId, conversationId, draft, at });
    },
    /** Every agent's rows (leaving a team: the team's conversations go, and with them what was kept in them). */
    clear(): void {
      q().dropAll.run();
    },
  };
}

export type PersonalQueries = ReturnType<typeof personalQueries>;
