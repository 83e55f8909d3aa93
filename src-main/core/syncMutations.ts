import { AppError } from '../../shared/contract/errors';
import type { ArgsOut, ResultOf } from '../../shared/contract/methods';
import type { MutationName } from '../../shared/sync/mutations';
import type { CallContext, Handlers } from './router';

/** How the core applies one mutation: synchronously, inside the transaction that records it. */
export type ServerMutator<N extends MutationName> = (args: ArgsOut<N>, ctx: CallContext) => ResultOf<N>;
export type ServerMutators = { [N in MutationName]: ServerMutator<N> };

/**
 * The server side of every mutation, one entry each. Most run their contract method's handler as it
 * is (`viaHandler`): the same validation and rules as a direct call, inside the push's transaction.
 * An entry that needs a conflict rule of its own (e.g. "only if the assignee is still the one the
 * client saw") wraps or replaces the handler here.
 *
 * A missing entry is a compile error once the name is listed in shared/sync/mutations.ts.
 */
export function createServerMutators(h: Pick<Handlers, MutationName>): ServerMutators {
  function viaHandler<N extends MutationName>(name: N): ServerMutator<N> {
    return (args, ctx) => {
      const result = (h[name] as (a: ArgsOut<N>, c: CallContext) => ResultOf<N> | Promise<ResultOf<N>>)(args, ctx);
      // A mutation is one transaction: a handler that waits on anything cannot be one.
      if (result instanceof Promise) throw new AppError('internal', `${name} is asynchronous and cannot run as a mutation`);
      return result;
    };
  }
  return {
    'messages.send': viaHandler('messages.send'),
    'conversations.markRead': viaHandler('conversations.markRead'),
    'conversations.end': viaHandler('conversations.end'),
    'conversations.reopen': viaHandler('conversations.reopen'),
    // Assignment only if the assignee is still the one the client saw: the handler checks
    // `expectedAgentId` (transfer) and that nobody owns it yet (take), where it is applied.
    'conversations.take': viaHandler('conversations.take'),
    'conversations.transfer': viaHandler('conversations.transfer'),
    'tags.create': viaHandler('tags.create'),
    'customers.addTag': viaHandler('customers.addTag'),
    'customers.removeTag': viaHandler('customers.removeTag'),
    'customerGroups.create': viaHandler('customerGroups.create'),
    'customers.setGroup': viaHandler('customers.setGroup'),
    'customers.setRemark': viaHandler('customers.setRemark'),
    'orders.setNotes': viaHandler('orders.setNotes'),
    'phrases.markUsed': viaHandler('phrases.markUsed'),
  };
}
