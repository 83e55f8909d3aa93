import type { ArgsIn, MethodName } from '../contract/methods';

/**
 * The agent actions that travel as mutations: written to the replica at once, queued in the outbox,
 * pushed in order, applied once by the server. A mutation's name is the contract method it runs,
 * and its arguments pass that method's schema in the core, so one declaration serves the direct
 * call and the mutation.
 *
 * Adding one: list its name here. The compiler then asks for its server entry
 * (src-main/core/syncMutations.ts) and its optimistic entry (src-renderer/db/mutators.ts).
 */
export const MUTATION_NAMES = [
  'messages.send',
  'conversations.markRead',
  'conversations.end',
  'conversations.reopen',
  'conversations.take',
  'conversations.transfer',
  'tags.create',
  'customers.addTag',
  'customers.removeTag',
  'customerGroups.create',
  'customers.setGroup',
  'customers.setRemark',
  'orders.setNotes',
  'phrases.markUsed',
] as const satisfies readonly MethodName[];

export type MutationName = (typeof MUTATION_NAMES)[number];

/** An agent's action as the outbox holds it and push carries it. The id is made by the client. */
export type Mutation<N extends MutationName = MutationName> = { mutationId: string; name: N; args: unknown };

/** What `mutate(name, args)` takes: the contract method's own arguments. */
export type MutationArgs<N extends MutationName> = ArgsIn<N>;

export function isMutationName(name: unknown): name is MutationName {
  return typeof name === 'string' && (MUTATION_NAMES as readonly string[]).includes(name);
}
