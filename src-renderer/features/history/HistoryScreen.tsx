import { useEffect, useState } from 'react';
import { Virtuoso } from 'react-virtuoso';
import type { HistoryItem } from '../../../shared/contract/conversations';
import type { ContractError } from '../../../shared/contract/errors';
import type { Message } from '../../../shared/domain/types';
import { useMutate } from '../../db';
import { errorText, formatClock, formatDay } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';
import { MessageBubble } from '../chat/MessageBubble';
import { useHistory } from './useHistory';

/** 历史: the agent's and the shop's ended conversations, found by buyer nick, read, and reopened. */
export function HistoryScreen({ onOpenAtDesk }: { onOpenAtDesk: (conversationId: string) => void }) {
  const { t, lang } = useT();
  const mutate = useMutate();
  const [query, setQuery] = useState('');
  const [mine, setMine] = useState(true);
  const [opened, setOpened] = useState<HistoryItem | null>(null);
  const { items, error, loading, more, hasMore, drop } = useHistory(query, mine);
  const now = Date.now();

  const reopen = (item: HistoryItem) => {
    void mutate('conversations.reopen', { conversationId: item.id });
    drop(item.id);
    setOpened(null);
    onOpenAtDesk(item.id);
  };

  return (
    <div className="search-screen history-screen">
      <section className="search-panel" aria-label={t('history.title')}>
        <input
          type="search"
          className="search-box"
          aria-label={t('history.search')}
          placeholder={t('history.search')}
          autoFocus
          value={query}
          maxLength={64}
          onChange={(e) => setQuery(e.target.value)}
        />
        <div role="radiogroup" aria-label={t('history.title')} className="segmented">
          {([true, false] as const).map((m) => (
            <button key={String(m)} type="button" role="radio" aria-checked={mine === m} onClick={() => setMine(m)}>
              {t(m ? 'history.mine' : 'history.all')}
            </button>
          ))}
        </div>
        {error && (
          <p role="alert" className="error">
            {errorText(t, error)}
          </p>
        )}
        {items && items.length === 0 && !loading && <p className="muted">{t('history.empty')}</p>}
        {items && items.length > 0 && (
          <div className="search-results" role="listbox" aria-label={t('history.title')}>
            <Virtuoso
              data={items}
              endReached={more}
              computeItemKey={(_, c) => c.id}
              itemContent={(_, c) => (
                <div
                  role="option"
                  aria-selected={opened?.id === c.id}
                  className={`search-hit${opened?.id === c.id ? ' active' : ''}`}
                  onClick={() => setOpened(c)}
                  data-conversation-id={c.id}
                >
                  <div className="search-hit-head">
                    <span className="nick">{c.customerNick}</span>
                    <span className="muted">{c.agentNick ? t('history.servedBy', { nick: c.agentNick }) : t('history.unassigned')}</span>
                    <span className="spacer" />
                    <time className="muted" dateTime={new Date(c.lastMessageAt).toISOString()}>
                      {formatDay(t, lang, c.lastMessageAt, now)} {formatClock(lang, c.lastMessageAt)}
                    </time>
                  </div>
                  <div className="search-hit-text">{c.lastMessagePreview}</div>
                </div>
              )}
              components={{
                Footer: () =>
                  hasMore ? (
                    <button type="button" className="link history-more" onClick={more}>
                      {t('history.more')}
                    </button>
                  ) : null,
              }}
            />
          </div>
        )}
      </section>
      {opened ? (
        <EndedConversation key={opened.id} item={opened} onReopen={() => reopen(opened)} />
      ) : (
        <div className="empty-view muted">{t('history.pick')}</div>
      )}
    </div>
  );
}

/** One ended conversation's messages (the newest 200, from the core), with 重新打开. */
function EndedConversation({ item, onReopen }: { item: HistoryItem; onReopen: () => void }) {
  const { t, lang } = useT();
  const client = useClient();
  const [messages, setMessages] = useState<Message[] | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  useEffect(() => {
    let live = true;
    void client.call('messages.page', { conversationId: item.id, limit: 200 }).then((r) => {
      if (!live) return;
      if (r.ok) setMessages(r.value.messages);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [client, item.id]);
  return (
    <section className="search-conversation" aria-label={t('history.of', { nick: item.customerNick })}>
      <header className="chat-header">
        <h2 className="nick">{item.customerNick}</h2>
        {item.endedAt !== null && (
          <span className="muted">
            {t('history.endedAt', { when: `${formatDay(t, lang, item.endedAt, Date.now())} ${formatClock(lang, item.endedAt)}` })}
          </span>
        )}
        <span className="spacer" />
        <button type="button" onClick={onReopen}>
          {t('history.reopen')}
        </button>
      </header>
      {error && (
        <p role="alert" className="error">
          {errorText(t, error)}
        </p>
      )}
      {messages && (
        <div className="message-list" role="log" aria-label={t('view.messages', { nick: item.customerNick })}>
          <Virtuoso
            className="message-scroller"
            data={messages}
            initialTopMostItemIndex={{ index: 'LAST', align: 'end' }}
            computeItemKey={(_, m) => m.id}
            itemContent={(_, m) => <MessageBubble message={m} />}
          />
        </div>
      )}
    </section>
  );
}
