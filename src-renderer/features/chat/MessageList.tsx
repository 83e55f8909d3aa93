import { useMemo } from 'react';
import { Virtuoso } from 'react-virtuoso';
import type { ReplicaMessage } from '../../../shared/sync/replica';
import { formatDay } from '../../i18n';
import { useT } from '../../i18n/useT';
import { MessageBubble, OutgoingBubble } from './MessageBubble';

type Row = { message: ReplicaMessage; day: string | null };

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
};

/**
 * The conversation's messages, virtualised: opens at the newest, keeps its place when an older page
 * is put above, and follows new messages while the agent is at the bottom.
 */
export function MessageList({ label, messages, firstItemIndex, hasMore, olderLoading, now, onStartReached, onRetry }: Props) {
  const { t, lang } = useT();
  const rows = useMemo<Row[]>(() => {
    const out: Row[] = [];
    let previousDay = '';
    for (const message of messages) {
      const day = new Date(message.createdAt).toDateString();
      out.push({ message, day: day === previousDay ? null : formatDay(t, lang, message.createdAt, now) });
      previousDay = day;
    }
    return out;
  }, [messages, t, lang, now]);

  return (
    <div className="message-list" role="log" aria-label={label} aria-live="polite">
      <Virtuoso
        className="message-scroller"
        data={rows}
        firstItemIndex={firstItemIndex}
        initialTopMostItemIndex={Math.max(0, rows.length - 1)}
        // Follow new messages while at the bottom, and always when the newest is the agent's own reply.
        followOutput={(atBottom) => (atBottom || messages[messages.length - 1]?.local ? 'auto' : false)}
        atBottomThreshold={48}
        alignToBottom
        startReached={() => {
          if (hasMore) onStartReached();
        }}
        computeItemKey={(_, row) => row.message.id}
        components={{
          Header: () => <div className="history-edge muted">{olderLoading ? t('view.loadingOlder') : hasMore ? '' : t('view.noMore')}</div>,
        }}
        itemContent={(_, { message, day }) => (
          <>
            {day && (
              <div className="day-separator" role="separator">
                <span>{day}</span>
              </div>
            )}
            {message.local ? (
              <OutgoingBubble message={{ ...message, local: message.local }} onRetry={onRetry} />
            ) : (
              <MessageBubble message={message} />
            )}
          </>
        )}
      />
    </div>
  );
}
