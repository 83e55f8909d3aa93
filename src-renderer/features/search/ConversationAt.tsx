import { useEffect, useState } from 'react';
import { Virtuoso } from 'react-virtuoso';
import type { ContractError } from '../../../shared/contract/errors';
import type { MessagesAround, SearchHit } from '../../../shared/contract/search';
import { errorText, formatDay } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';
import { MessageBubble } from '../chat/MessageBubble';

/**
 * The conversation of a hit, opened at that message: the messages around it from the core, scrolled
 * so it is in view and marked for a moment. Works for ended conversations the desk's list no longer shows.
 */
export function ConversationAt({ hit, onOpenAtDesk }: { hit: SearchHit; onOpenAtDesk?: (conversationId: string) => void }) {
  const { t, lang } = useT();
  const client = useClient();
  const [page, setPage] = useState<{ key: string; value: MessagesAround } | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const [flash, setFlash] = useState(true);
  const key = hit.messageId;

  useEffect(() => {
    let live = true;
    setFlash(true);
    void client
      .call('messages.around', { conversationId: hit.conversationId, messageId: hit.messageId, before: 30, after: 200 })
      .then((r) => {
        if (!live) return;
        if (r.ok) setPage({ key, value: r.value });
        else setError(r.error);
      });
    const timer = setTimeout(() => live && setFlash(false), 2500);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, hit.conversationId, hit.messageId, key]);

  const messages = page?.key === key ? page.value.messages : null;
  const at = messages
    ? Math.max(
        0,
        messages.findIndex((m) => m.id === hit.messageId),
      )
    : 0;
  return (
    <section className="search-conversation" aria-label={t('search.conversationOf', { nick: hit.customerNick })}>
      <header className="chat-header">
        <h2 className="nick">{hit.customerNick}</h2>
        <span className="muted">{formatDay(t, lang, hit.createdAt, Date.now())}</span>
        <span className="spacer" />
        {onOpenAtDesk && (
          <button type="button" onClick={() => onOpenAtDesk(hit.conversationId)}>
            {t('search.openAtDesk')}
          </button>
        )}
      </header>
      {error && (
        <p role="alert" className="error">
          {errorText(t, error)}
        </p>
      )}
      {messages && (
        <div className="message-list" role="log" aria-label={t('view.messages', { nick: hit.customerNick })}>
          <Virtuoso
            key={key}
            className="message-scroller"
            data={messages}
            initialTopMostItemIndex={{ index: at, align: 'center' }}
            computeItemKey={(_, m) => m.id}
            itemContent={(_, m) => (
              <div
                className={m.id === hit.messageId ? `search-target${flash ? ' flash' : ''}` : undefined}
                aria-current={m.id === hit.messageId ? 'true' : undefined}
              >
                <MessageBubble message={m} />
              </div>
            )}
          />
        </div>
      )}
    </section>
  );
}
