import { z } from 'zod';
import { DRAFT_MAX_CHARS, PERSONAL_SYNC_BATCH, PERSONAL_SYNC_ROWS_MAX, type PersonalItem, type StoredHold } from '../domain/personal';
import { define } from './define';
import { id, millis } from './schemas';

export type { PersonalItem } from '../domain/personal';

/** What the agent left in their conversations, with the core's clock (the desk corrects its own by it). */
export type PersonalList = { now: number; items: PersonalItem[] };

const hold = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('held') }).strict(),
  z.object({ kind: z.literal('until'), until: millis }).strict(),
  z.object({ kind: z.literal('buyer') }).strict(),
]);

const draft = z.string().max(DRAFT_MAX_CHARS);

/** One of an agent's rows as a team's hub keeps it: each content with when it was written (an empty row: cleared). */
export type PersonalSyncRow = { conversationId: string; hold: StoredHold | null; holdAt: number; draft: string; draftAt: number };
/** The hub's answer to `personal.sync`: the rows it keeps for the session's agent in open conversations (none unless asked). */
export type PersonalSyncAnswer = { now: number; rows: PersonalSyncRow[] };

/** A desk checks the hub's answer as any input from outside (bounded, shaped). */
export const personalSyncAnswer = z
  .object({
    now: millis,
    rows: z
      .array(
        z
          .object({
            conversationId: id,
            hold: z
              .discriminatedUnion('kind', [
                z.object({ kind: z.literal('held'), since: millis }).strict(),
                z.object({ kind: z.literal('until'), until: millis, since: millis }).strict(),
                z.object({ kind: z.literal('buyer'), since: millis }).strict(),
              ])
              .nullable(),
            holdAt: millis,
            draft,
            draftAt: millis,
          })
          .strict(),
      )
      .max(PERSONAL_SYNC_ROWS_MAX),
  })
  .strict();

const syncWrite = z.union([
  z.object({ conversationId: id, at: millis, hold: hold.nullable() }).strict(),
  z.object({ conversationId: id, at: millis, draft }).strict(),
]);

/**
 * The calling agent's own holds, snoozes and drafts (issue 15). Always the caller's, by the
 * connection's session: no method takes an agent id. Kept in this core's store, open conversations
 * only; on a team's desk also on the hub, for that agent alone (`personal.sync`).
 */
export const personalMethods = {
  'personal.list': define<PersonalList>()(z.object({}).strict()),
  /** Puts a conversation on hold (挂起), snoozes it (稍后处理), or takes it back (`hold: null`): its item after. */
  'personal.setHold': define<PersonalItem | null>()(z.object({ conversationId: id, hold: hold.nullable() }).strict()),
  /** Keeps the reply box's unsent text ('' forgets it). */
  'personal.saveDraft': define<null>()(z.object({ conversationId: id, draft }).strict()),
  /**
   * Once per browser: the drafts and holds this browser kept before they moved to the core. Only
   * fills what the agent has nothing stored for; conversations no longer open are skipped.
   */
  'personal.importLocal': define<{ imported: number }>()(
    z
      .object({
        drafts: z.array(z.object({ conversationId: id, draft }).strict()).max(200),
        held: z.array(id).max(200),
      })
      .strict(),
  ),
  /**
   * A team desk to its hub (refused from a desk's renderer): the writes it made for its agent (each
   * with when it was made; per conversation and content the newest by that time wins, a time ahead of
   * the hub's clock counts as the hub's now), answered, with `rows`, by the rows the hub keeps for the
   * session's agent. Never another agent's: the hub takes the agent from the session.
   */
  'personal.sync': define<PersonalSyncAnswer>()(
    z.object({ writes: z.array(syncWrite).max(PERSONAL_SYNC_BATCH), rows: z.boolean().optional() }).strict(),
  ),
} as const;
