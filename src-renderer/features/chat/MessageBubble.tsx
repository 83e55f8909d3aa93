import type { Message } from '../../../shared/domain/types';
import type { ReplicaMessage } from '../../../shared/sync/replica';
import { errorText, formatClock } from '../../i18n';
import { useT } from '../../i18n/useT';

/**
 * One message. Buyer text is untrusted: it is only ever a React text child, so `<img onerror=…>`
 * shows as those characters and never becomes an element.
 */
export function MessageBubble({ message }: { message: Message }) {
  const { t, lang } = useT();
  const kindLabel =
    message.kind === 'order_card' ? t('message.orderCard') : message.kind === 'product_card' ? t('message.productCard') : null;
  return (
    <div className={`message message-${message.sender}`} data-message-id={message.id} data-conversation-id={message.conversationId}>
      <div className="bubble" aria-label={t(`sender.${message.sender}`)}>
        {kindLabel && <div className="card-label">{kindLabel}</div>}
        <div className="text">{message.text}</div>
      </div>
      <time className="time" dateTime={new Date(message.createdAt).toISOString()}>
        {formatClock(lang, message.createdAt)}
      </time>
    </div>
  );
}

/** A reply the core has not confirmed yet: pending, or refused (failed) with a retry button. */
export function OutgoingBubble({
  message,
  onRetry,
}: {
  message: ReplicaMessage & { local: NonNullable<ReplicaMessage['local']> };
  onRetry: (id: string) => void;
}) {
  const { t } = useT();
  const entry = {
    id: message.id,
    status: message.local.status,
    error: message.local.error ? errorText(t, message.local.error) : undefined,
  };
  const kindLabel = message.kind === 'order_card' ? t('message.orderCard') : null;
  return (
    <div
      className={`message message-agent outgoing-${entry.status}`}
      data-message-id={entry.id}
      data-conversation-id={message.conversationId}
    >
      <div className="bubble" aria-label={t('sender.agent')}>
        {kindLabel && <div className="card-label">{kindLabel}</div>}
        <div className="text">{message.text}</div>
      </div>
      <div className="status">
        {entry.status === 'pending' ? (
          <span className="muted">{t('message.pending')}</span>
        ) : (
          <>
            <span className="error" role="alert" title={entry.error}>
              {t('message.failed')}
              {entry.error ? `：${entry.error}` : ''}
            </span>
            <button type="button" className="link" onClick={() => onRetry(entry.id)}>
              {t('message.retry')}
            </button>
          </>
        )}
      </div>
    </div>
  );
}
