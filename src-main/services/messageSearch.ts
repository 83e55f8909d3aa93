import { AppError } from '../../shared/contract/errors';
import type { MessagesAround, SearchHit, SearchResult } from '../../shared/contract/search';
import type { MessageSender } from '../../shared/domain/types';
import { matchRanges, snippetOf } from '../../shared/domain/matchRanges';
import type { Store } from '../store';
import { searchTerm, type SearchCursor } from '../store/messageSearch';

export type SearchArgs = {
  q: string;
  customerId?: string | undefined;
  agentId?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  direction?: MessageSender | undefined;
  after?: string | undefined;
  limit: number;
};

function cursorOf(after: string | undefined): SearchCursor | undefined {
  if (after === undefined) return undefined;
  const [createdAt, rowid] = after.split(':').map(Number);
  if (!Number.isSafeInteger(createdAt) || !Number.isSafeInteger(rowid)) throw new AppError('invalid_argument', 'not a search cursor');
  return { createdAt: createdAt!, rowid: rowid! };
}

/** Message search for the desk: the store's one search path, hits with their matched ranges. */
export function createMessageSearch(store: Store) {
  return {
    search(args: SearchArgs): SearchResult {
      const term = searchTerm(args.q);
      if (!term) throw new AppError('invalid_argument', 'a search needs some text');
      const page = store.search.search(
        term,
        { customerId: args.customerId, agentId: args.agentId, fromMs: args.from, toMs: args.to, direction: args.direction },
        args.limit,
        cursorOf(args.after),
      );
      const hits = page.rows.map((r): SearchHit => {
        const snippet = snippetOf(r.text, matchRanges(r.text, term.term));
        return {
          messageId: r.id,
          conversationId: r.conversation_id,
          customerId: r.customer_id,
          customerNick: r.customer_nick,
          agentId: r.agent_id,
          agentNick: r.agent_nick,
          sender: r.sender,
          kind: r.kind,
          createdAt: r.created_at,
          ...snippet,
        };
      });
      return { hits, next: page.next ? `${page.next.createdAt}:${page.next.rowid}` : null, total: page.total, totalBound: page.totalBound };
    },
    around(conversationId: string, messageId: string, before: number, after: number): MessagesAround {
      const found = store.messages.around(conversationId, messageId, before, after);
      if (!found) throw new AppError('not_found', 'no such message in this conversation');
      return found;
    },
  };
}

export type MessageSearch = ReturnType<typeof createMessageSearch>;
