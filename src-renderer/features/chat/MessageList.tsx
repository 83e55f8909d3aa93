import { useMemo } from 'react';
import { Virtuoso } from 'react-virtuoso';
import type { Message } from '../../../shared/domain/types';
import { formatDay } from '../../i18n';
import { useT } from '../../i18n/useT';
import type { Outgoing } from '../../state/outgoingSlice';
import { MessageBubble, OutgoingBubble } from './MessageBubble';

type Row = { kind: 'message'; message: Message; day: string | null } | { kind: 'outgoing'; entry: Outgoing };

type Props = {
  label: string;
  messages: Message[];
  outgoing: Outgoing[];
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
export function MessageList({ label, messages, outgoing, firstItemIndex, hasMore, olderLoading, now, onStartReached, onRetry }: Props) {
  const { t, lang } = useT();
  const rows = useMemo<Row[]>(() => {
    const out: Row[] = [];
    let previousDay = '';
    for (const message of messages) {
      const day = new Date(message.createdAt).toDateString();
      out.push({ kind: 'message', message, day: day === previousDay ? null : formatDay(t, lang, message.createdAt, now) });
      previousDay = day;
    }
    for (const entry of outgoing) out.push({ kind: 'outgoing', entry });
    return out;
  }, [messages, outgoing, t, lang, now]);

  return (
    <div className="message-list" role="log" aria-label={label} aria-live="polite">
      <Virtuoso
        className="message-scroller"
        data={rows}
        firstItemIndex={firstItemIndex}
        initialTopMostItemIndex={Math.max(0, rows.length - 1)}
        followOutput="smooth"
        alignToBottom
        startReached={() => {
          if (hasMore) onStartReached();
        }}
        computeItemKey={(_, row) => (row.kind === 'message' ? row.message.id : row.entry.id)}
        components={{
          Header: () => (
            <div className="history-edge muted">{olderLoading ? t('view.loadingOlder') : hasMore ? '' : t('view.noMore')}</div>
          ),
        }}
        itemContent={(_, row) =>
          row.kind === 'message' ? (
            <>
              {row.day && (
                <div className="day-separator" role="separator">
                  <span>{row.day}</span>
                </div>
              )}
              <MessageBubble message={row.message} />
            </>
          ) : (
            <OutgoingBubble entry={row.entry} onRetry={onRetry} />
          )
        }
      />
    </div>
  );
}
