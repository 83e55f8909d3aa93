import { z } from 'zod';
import { DRAFT_MAX_CHARS, type PersonalItem } from '../domain/personal';
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

/**
 * The calling agent's own holds, snoozes and drafts (issue 15). Always the caller's, by the
 * connection's session: no method takes an agent id. Kept in this core's store (on a team's desk:
 * the desk's, not the hub's), open conversations only.
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
} as const;
