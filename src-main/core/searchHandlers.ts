import { createMessageSearch } from '../services/messageSearch';
import type { Store } from '../store';
import type { Handlers } from './router';

/** Message search: every agent of the shop searches the shop's whole history. */
export function createSearchHandlers(deps: { store: Store }): Pick<Handlers, 'messages.search' | 'messages.around'> {
  const search = createMessageSearch(deps.store);
  return {
    'messages.search': (args) => search.search(args),
    'messages.around': ({ conversationId, messageId, before, after }) => search.around(conversationId, messageId, before, after),
  };
}
