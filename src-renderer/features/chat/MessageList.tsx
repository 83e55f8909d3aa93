import { useMemo } from 'react';
import { Virtuoso } from 'react-virtuoso';
import type { HistoryItem } from '../../../shared/contract/conversations';
import type { ReplicaMessage } from '../../../shared/sync/replica';
import { formatClock, formatDay } from '../../i18n';
import { useT } from '../../i18n/useT';
import { MessageBubble, OutgoingBubble } from './MessageBubble';
import type { EarlierPart } from './useEarlierConversations';

type Row =
  | { kind: 'message'; key: string; message: ReplicaMessage; day: string | null }
  /** Where an earlier conversation starts (who served it, when), or where the current one does. */
  | { kind: 'visit'; key: string; conversation: HistoryItem | null; truncated: boolean };

/** A returning buyer's earlier conversations, above the current one (features/chat/useEarlierConversations). */
export type Earlier = { parts: EarlierPart[]; pending: HistoryItem | null; loading: boolean; onLoad: () => void };

type Props = {
  label: string;
  /** In time order; this desk's unconfirmed replies carry `local` (pending or failed). */
  messages: ReplicaMessage[];
  firstItemIndex: number;
  hasMore: boolean;
  olderLoading: boolean;
  now: number;
  onStartReached: () => void;
  onRetry: (id: string) => void;
  earlier?: Earlier;
  /** 引用: the message goes at the start of the reply. */
  onQuote?: (message: ReplicaMessage) => void;
};

/** What the top edge of the list says: loading, nothing, the previous conversation to show, or that there is no more. */
type Edge = { loading: boolean; hasMore: boolean; pending: HistoryItem | null; onLoad: (() => void) | undefined; now: number };

function EdgeHeader({ context }: { context?: Edge }) {
  const { t, lang } = useT();
  const e = context;
  if (!e) return null;
  return (
    <div className="history-edge muted">
      {e.loading ? (
        t('view.loadingOlder')
      ) : e.hasMore ? (
        ''
      ) : e.pending && e.onLoad ? (
        <button type="button" className="link" onClick={e.onLoad}>
          {t('view.earlierVisit', {
            when: formatDay(t, lang, e.pending.lastMessageAt, e.now),
            nick: e.pending.agentNick ?? t('history.unassigned'),
          })}
        </button>
      ) : (
        t('view.noMore')
      )}
    </div>
  );
}

const LIST_COMPONENTS = { Header: EdgeHeader };

/**
 * The conversation's messages, virtualised: opens at the newest, keeps its place when an older page
 * is put above, and follows new messages while the agent is at the bottom.
 */
export function MessageList({
  label,
  messages,
  firstItemIndex,
  hasMore,
  olderLoading,
  now,
  onStartReached,
  onRetry,
  earlier,
  onQuote,
}: Props) {
  const { t, lang } = useT();
  const parts = earlier?.parts;
  const { rows, above } = useMemo(() => {
    const out: Row[] = [];
    let previousDay = '';
    const push = (message: ReplicaMessage) => {
      const day = new Date(message.createdAt).toDateString();
      out.push({ kind: 'message', key: message.id, message, day: day === previousDay ? null : formatDay(t, lang, message.createdAt, now) });
      previousDay = day;
    };
    // Oldest first: each earlier conversation under its own separator, then this one's.
    for (const part of [...(parts ?? [])].reverse()) {
      out.push({ kind: 'visit', key: `visit:${part.conversation.id}`, conversation: part.conversation, truncated: part.truncated });
      previousDay = '';
      for (const m of part.messages) push(m);
    }
    if (out.length > 0) {
      out.push({ kind: 'visit', key: 'visit:current', conversation: null, truncated: false });
      previousDay = '';
    }
    const above = out.length;
    for (const m of messages) push(m);
    return { rows: out, above };
  }, [messages, parts, t, lang, now]);

  const edge: Edge = {
    loading: olderLoading || Boolean(earlier?.loading),
    hasMore,
    pending: earlier?.pending ?? null,
    onLoad: earlier?.onLoad,
    now,
  };

  return (
    <div className="message-list" role="log" aria-label={label} aria-live="polite">
      <Virtuoso
        className="message-scroller"
        data={rows}
        // Earlier conversations are put above like older pages: the index counts down, the place holds.
        firstItemIndex={firstItemIndex - above}
        initialTopMostItemIndex={Math.max(0, rows.length - 1)}
        // Follow new messages while at the bottom, and always when the newest is the agent's own reply.
        followOutput={(atBottom) => (atBottom || messages[messages.length - 1]?.local ? 'auto' : false)}
        atBottomThreshold={48}
        alignToBottom
        startReached={() => {
          if (hasMore) onStartReached();
        }}
        computeItemKey={(_, row) => row.key}
        // One Header component for the list's life (a new one each render would be remounted under the pointer).
        context={edge}
        components={LIST_COMPONENTS}
        itemContent={(_, row) => {
          if (row.kind === 'visit') {
            const c = row.conversation;
            const text = c
              ? [
                  t('view.visit', { when: `${formatDay(t, lang, c.createdAt, now)} ${formatClock(lang, c.createdAt)}` }),
                  c.agentNick ? t('history.servedBy', { nick: c.agentNick }) : t('history.unassigned'),
                  ...(row.truncated ? [t('view.visitTruncated')] : []),
                ].join(' · ')
              : t('view.thisVisit');
            return (
              <div className={`visit-separator${c ? '' : ' current'}`} role="separator" aria-label={text}>
                <span>{text}</span>
              </div>
            );
          }
          const { message, day } = row;
          return (
            <>
              {day && (
                <div className="day-separator" role="separator">
                  <span>{day}</span>
                </div>
              )}
              {message.local && message.local.status !== 'sent' ? (
                <OutgoingBubble message={{ ...message, local: message.local }} onRetry={onRetry} />
              ) : (
                <MessageBubble message={message} {...(onQuote ? { onQuote } : {})} />
              )}
            </>
          );
        }}
      />
    </div>
  );
}
