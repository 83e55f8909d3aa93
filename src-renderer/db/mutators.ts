import { memoAfter } from '../../shared/domain/gbk';
import { transferLine } from '../../shared/domain/routing';
import { IMAGE_TEXT, mimeOfBase64 } from '../../shared/domain/images';
import { productCardText } from '../../shared/domain/productCard';
import type { MutationArgs, MutationName } from '../../shared/sync/mutations';
import type { OutboxEntry } from './replicaDb';
import type { ReplicaWriter } from './writer';

export type MutatorContext = {
  entry: OutboxEntry;
  /** The agent at this desk, when known (an answered conversation becomes theirs). */
  agentId: string | null;
};

/** The optimistic side of a mutation: what it does to the replica at once, and again on every rebase while pending. */
export type ClientMutator<N extends MutationName> = (w: ReplicaWriter, args: MutationArgs<N>, ctx: MutatorContext) => Promise<void>;

/**
 * One entry per mutation (shared/sync/mutations.ts lists them; a missing entry fails to compile).
 * Each does what the core will do, as far as the replica can see it, and tolerates rows that are
 * gone: the core's answer is what finally counts.
 */
export const clientMutators: { [N in MutationName]: ClientMutator<N> } = {
  'messages.send': async (w, args, { entry, agentId }) => {
    const existing = await w.get('messages', args.id);
    if (existing && !existing.local) return; // the core already has it
    const failed = entry.status === 'rejected';
    const mime = args.image ? mimeOfBase64(args.image.base64) : null;
    // A product card shows at once as the core will write it (its lines, from the same fields).
    const text = args.image ? IMAGE_TEXT : args.product ? productCardText(args.product) : args.text;
    await w.put('messages', {
      id: args.id,
      conversationId: args.conversationId,
      sender: 'agent',
      agentId,
      kind: args.image ? 'image' : args.product ? 'product_card' : args.orderId ? 'order_card' : 'text',
      text,
      orderId: args.image ? null : (args.orderId ?? null),
      createdAt: entry.createdAt,
      local: {
        status: failed ? 'failed' : entry.outcome === 'applied' ? 'sent' : 'pending',
        mutationId: entry.mutationId,
        error: entry.error ?? null,
        ...(args.image && mime ? { image: `data:${mime};base64,${args.image.base64}` } : {}),
      },
    });
    if (failed) return;
    await w.update('conversations', args.conversationId, (c) => ({
      ...c,
      lastMessageAt: Math.max(c.lastMessageAt, entry.createdAt),
      lastMessagePreview: text.slice(0, 120),
      waitingSince: null,
      unreadCount: 0,
      agentId: c.agentId ?? agentId,
    }));
  },

  'conversations.markRead': async (w, args) => {
    await w.update('conversations', args.conversationId, (c) => ({ ...c, unreadCount: 0 }));
  },

  // The replica holds open conversations only; the row is kept aside for an undo.
  'conversations.end': async (w, args) => {
    await w.keepEnded(args.conversationId);
    await w.delete('conversations', args.conversationId);
  },

  // Open again as this agent's, at once, from the row the desk kept when it ended it (the undo of 结束);
  // one ended elsewhere or long ago (历史) comes back with the core's row. Refused (the buyer has
  // another open conversation): nothing is put back.
  'conversations.reopen': async (w, args, { entry, agentId }) => {
    if (entry.status === 'rejected' || entry.outcome === 'rejected') return;
    if (await w.get('conversations', args.conversationId)) return;
    const kept = await w.ended(args.conversationId);
    if (!kept) return;
    await w.put('conversations', { ...kept.conversation, status: 'open', agentId: agentId ?? kept.conversation.agentId });
    for (const m of kept.messages) if (!(await w.get('messages', m.id))) await w.put('messages', m);
  },

  // 接入: the conversation becomes this agent's if nobody owns it (the core refuses it otherwise).
  'conversations.take': async (w, args, { agentId }) => {
    if (agentId === null) return;
    await w.update('conversations', args.conversationId, (c) => (c.agentId === null ? { ...c, agentId } : c));
  },

  // 转接: only if the owner is still the one this desk saw; the note becomes a system line, as the core writes it.
  'conversations.transfer': async (w, args, { entry, agentId }) => {
    const c = await w.get('conversations', args.conversationId);
    if (!c || c.agentId !== args.expectedAgentId || args.toAgentId === c.agentId) return;
    const nick = async (id: string | null) => (id === null ? null : ((await w.get('agents', id))?.nick ?? null));
    const text = transferLine({
      by: (await nick(agentId)) ?? '',
      from: await nick(c.agentId),
      to: await nick(args.toAgentId),
      note: args.note ?? '',
    });
    await w.put('conversations', {
      ...c,
      agentId: args.toAgentId,
      lastMessageAt: Math.max(c.lastMessageAt, entry.createdAt),
      lastMessagePreview: text.slice(0, 120),
    });
    if (await w.get('messages', args.id)) return;
    await w.put('messages', {
      id: args.id,
      conversationId: args.conversationId,
      sender: 'system',
      agentId: null,
      kind: 'text',
      text,
      orderId: null,
      createdAt: entry.createdAt,
    });
  },

  'tags.create': async (w, args) => {
    const name = args.name.trim();
    if (await w.get('tags', args.id)) return;
    // The same name is the same tag: the core answers with the existing one.
    const all = await w.all('tags');
    if (all.some((t) => t.name === name)) return;
    await w.put('tags', { id: args.id, name, color: args.color });
  },

  'customers.addTag': async (w, args, { entry }) => {
    if (!(await w.get('customers', args.customerId)) || !(await w.get('tags', args.tagId))) return;
    if (await w.get('memberships', [args.customerId, args.tagId])) return;
    await w.put('memberships', { customerId: args.customerId, tagId: args.tagId, at: entry.createdAt });
  },

  'customers.removeTag': async (w, args) => {
    await w.delete('memberships', [args.customerId, args.tagId]);
  },

  'customerGroups.create': async (w, args) => {
    const name = args.name.trim();
    if (await w.get('customerGroups', args.id)) return;
    const all = await w.all('customerGroups');
    if (all.some((g) => g.name === name)) return;
    await w.put('customerGroups', { id: args.id, name });
  },

  'customers.setGroup': async (w, args) => {
    await w.update('customers', args.customerId, (c) => ({ ...c, groupId: args.groupId }));
  },

  'customers.setRemark': async (w, args) => {
    await w.update('customers', args.customerId, (c) => ({ ...c, remark: args.remark }));
  },

  'orders.setNotes': async (w, args) => {
    for (const orderId of new Set(args.orderIds)) {
      if (!(await w.get('orders', orderId))) continue;
      const note = (await w.get('orderNotes', orderId)) ?? { orderId, flag: 0 as const, memo: '' };
      const memo = args.memo === undefined ? note.memo : memoAfter(note.memo, args.memo, args.memoMode);
      await w.put('orderNotes', { orderId, flag: args.flag ?? note.flag, memo });
    }
  },

  'phrases.markUsed': async (w, args, { entry }) => {
    await w.update('phrases', args.phraseId, (p) => ({ ...p, useCount: p.useCount + 1, lastUsedAt: entry.createdAt }));
  },
};

/** Runs an outbox entry's optimistic mutator. */
export function runMutator(w: ReplicaWriter, entry: OutboxEntry, agentId: string | null): Promise<void> {
  const mutator = clientMutators[entry.name] as ClientMutator<MutationName>;
  return mutator(w, entry.args as never, { entry, agentId });
}
