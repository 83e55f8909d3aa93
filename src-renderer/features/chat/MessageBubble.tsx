import { useState } from 'react';
import type { Message } from '../../../shared/domain/types';
import type { ReplicaMessage } from '../../../shared/sync/replica';
import { errorText, formatClock } from '../../i18n';
import { useT } from '../../i18n/useT';
import { ImageMessage } from './ImageMessage';
import { parseProductCard } from '../../../shared/domain/productCard';
import { ProductCardView } from './ProductCardView';

/**
 * A message's words. A reply that starts with a quote (引用: the quoted words in 「」 on the first
 * line) shows that line as a quote above the answer.
 */
function MessageText({ message }: { message: Pick<Message, 'kind' | 'text'> }) {
  const { t } = useT();
  const card = message.kind === 'product_card' ? parseProductCard(message.text) : null;
  if (card) return <ProductCardView card={card} />;
  const quote = QUOTE_LINE.exec(message.text);
  if (!quote) return <div className="text">{message.text}</div>;
  return (
    <div className="text">
      <blockquote className="message-quote" aria-label={t('message.quoted')}>
        {quote[1]}
      </blockquote>
      {message.text.slice(quote[0].length)}
    </div>
  );
}

const QUOTE_LINE = /^「([^\n]*)」\n/;

/**
 * One message. Buyer text is untrusted: it is only ever a React text child, so `<img onerror=…>`
 * shows as those characters and never becomes an element.
 */
export function MessageBubble({ message, onQuote }: { message: Message; onQuote?: (message: Message) => void }) {
  const { t, lang } = useT();
  const kindLabel =
    message.automated === 'reminder'
      ? t('message.reminderCard')
      : message.kind === 'order_card'
        ? t('message.orderCard')
        : message.kind === 'product_card'
          ? t('message.productCard')
          : message.kind === 'image'
            ? t('message.image')
            : null;
  return (
    <div
      className={`message message-${message.sender}${message.automated ? ' message-automated' : ''}`}
      data-message-id={message.id}
      data-conversation-id={message.conversationId}
    >
      <div className="bubble" aria-label={t(`sender.${message.sender}`)}>
        {kindLabel && <div className="card-label">{kindLabel}</div>}
        {message.kind === 'image' ? (
          <ImageMessage messageId={message.id} local={(message as ReplicaMessage).local?.image ?? null} />
        ) : (
          <MessageText message={message} />
        )}
      </div>
      <div className="message-meta">
        <time className="time" dateTime={new Date(message.createdAt).toISOString()}>
          {formatClock(lang, message.createdAt)}
        </time>
        {message.automated && <span className="automated-label">{t(`message.automated.${message.automated}`)}</span>}
        <MessageActions text={message.text} {...(onQuote ? { onQuote: () => onQuote(message) } : {})} />
      </div>
    </div>
  );
}

/** 复制 and 引用 beside a message's time (shown on hover and focus; always reachable by Tab). */
function MessageActions({ text, onQuote }: { text: string; onQuote?: () => void }) {
  const { t } = useT();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = () => {
    const done = (ok: boolean) => {
      setCopied(ok ? 'yes' : 'no');
      setTimeout(() => setCopied(null), 1500);
    };
    if (!navigator.clipboard) return done(false);
    navigator.clipboard.writeText(text).then(
      () => done(true),
      () => done(false),
    );
  };
  return (
    <span className="message-actions">
      <button type="button" className="link" onClick={copy}>
        {copied === 'yes' ? t('message.copied') : copied === 'no' ? t('message.copyFailed') : t('message.copy')}
      </button>
      {onQuote && (
        <button type="button" className="link" onClick={onQuote}>
          {t('message.quote')}
        </button>
      )}
    </span>
  );
}

/** The quote put at the start of a reply: the message's first 60 characters in 「」. */
export function quoteOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  return `「${chars.length > 60 ? `${chars.slice(0, 60).join('')}…` : flat}」\n`;
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
  const kindLabel =
    message.kind === 'order_card' ? t('message.orderCard') : message.kind === 'product_card' ? t('message.productCard') : null;
  return (
    <div
      className={`message message-agent outgoing-${entry.status}`}
      data-message-id={entry.id}
      data-conversation-id={message.conversationId}
    >
      <div className="bubble" aria-label={t('sender.agent')}>
        {kindLabel && <div className="card-label">{kindLabel}</div>}
        <MessageText message={message} />
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
