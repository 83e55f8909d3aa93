import { z } from 'zod';
import { MAX_OPEN_LIMIT, TRANSFER_NOTE_MAX_CHARS } from '../domain/routing';
import type { TeamAgent } from '../domain/types';
import { define } from './define';
import { id } from './schemas';

/**
 * Assignment and routing (issue 12). New buyers are routed by the core (`conversations.receive` on a
 * channel's side, never a desk's call); a desk takes one from the queue (接入) or hands one on (转接).
 * The roster with each agent's maximum is `agents.list` (and the replica's `agents`, live).
 */
export const routingMethods = {
  /** Takes an unassigned conversation (接入): refused with `conflict` when someone owns it already. */
  'conversations.take': define<null>()(z.object({ conversationId: id }).strict()),
  /**
   * Hands a conversation to a colleague, or back to the queue (`toAgentId: null`), with a note the
   * colleague reads in the history (a system line whose id `id` the caller makes, as a reply's).
   * `expectedAgentId` is the owner the desk saw: if it changed meanwhile the core refuses (`conflict`).
   * Its owner may transfer it; a supervisor or the owner may reassign any.
   */
  'conversations.transfer': define<null>()(
    z
      .object({
        id,
        conversationId: id,
        toAgentId: id.nullable(),
        expectedAgentId: id.nullable(),
        note: z
          .string()
          .max(TRANSFER_NOTE_MAX_CHARS * 2)
          .refine(
            (s) => Array.from(s.trim()).length <= TRANSFER_NOTE_MAX_CHARS,
            `a note holds at most ${TRANSFER_NOTE_MAX_CHARS} characters`,
          )
          .default(''),
      })
      .strict(),
  ),
  /** Sets how many open conversations routing gives each of these agents (supervisors and the owner). */
  'routing.setMaxOpen': define<TeamAgent[]>()(
    z
      .object({
        agentIds: z.array(id).min(1).max(500),
        maxOpen: z.number().int().min(1).max(MAX_OPEN_LIMIT),
      })
      .strict(),
  ),
} as const;
