import { useEffect, useMemo, useState } from 'react';
import { Virtuoso } from 'react-virtuoso';
import type { Agent } from '../../../shared/domain/types';
import type { SearchHit } from '../../../shared/contract/search';
import { errorText, formatClock, formatDay } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';
import { ConversationAt } from './ConversationAt';
import { Highlighted } from './Highlighted';
import { useMessageSearch, type SearchQuery } from './useMessageSearch';
import { useDeskStore } from '../../state/store';

const DAY_MS = 86_400_000;
/** A day input's value as the instant its day starts on this computer's clock. */
const dayStart = (day: string) => (day ? new Date(`${day}T00:00:00`).getTime() : undefined);

/** Ctrl+F: search every message of the shop, filter, and open a hit's conversation at that message. */
export function SearchScreen({
  atDesk,
  onOpenAtDesk,
}: {
  atDesk?: (conversationId: string) => boolean;
  onOpenAtDesk?: (conversationId: string) => void;
}) {
  const { t, lang } = useT();
  const client = useClient();
  // A search handed over by another screen (a hot question in 报表) starts here, once.
  const [preset] = useState(() => useDeskStore.getState().searchPreset);
  useEffect(() => {
    if (preset) useDeskStore.getState().openSearch(null);
  }, [preset]);
  const [q, setQ] = useState(preset?.q ?? '');
  const [agentId, setAgentId] = useState('');
  const [direction, setDirection] = useState<'' | 'buyer' | 'agent' | 'system'>(preset?.direction ?? '');
  const [fromDay, setFromDay] = useState(preset?.from ?? '');
  const [toDay, setToDay] = useState(preset?.to ?? '');
  const [agents, setAgents] = useState<Agent[]>([]);
  const [active, setActive] = useState(0);
  const [opened, setOpened] = useState<SearchHit | null>(null);
  useEffect(() => {
    void client.call('agents.list', {}).then((r) => r.ok && setAgents(r.value));
  }, [client]);

  const query = useMemo<SearchQuery>(() => {
    const from = dayStart(fromDay);
    const toStart = dayStart(toDay);
    return {
      q,
      ...(agentId ? { agentId } : {}),
      ...(direction ? { direction } : {}),
      ...(from !== undefined ? { from } : {}),
      ...(toStart !== undefined ? { to: toStart + DAY_MS } : {}),
    };
  }, [q, agentId, direction, fromDay, toDay]);
  const { result, error, loading, more, searchingOlder } = useMessageSearch(query);
  const hits = result?.hits ?? [];
  const current = Math.min(active, Math.max(0, hits.length - 1));

  const now = Date.now();
  return (
    <div className="search-screen">
      <section className="search-panel" aria-label={t('search.title')}>
        <input
          type="search"
          className="search-box"
          aria-label={t('search.input')}
          placeholder={t('search.input')}
          autoFocus
          value={q}
          maxLength={100}
          onChange={(e) => {
            setQ(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.nativeEvent.isComposing) return;
            if (e.key === 'ArrowDown') setActive(Math.min(current + 1, hits.length - 1));
            else if (e.key === 'ArrowUp') setActive(Math.max(current - 1, 0));
            else if (e.key === 'Enter' && hits[current]) setOpened(hits[current]);
            else return;
            e.preventDefault();
          }}
        />
        <div className="search-filters">
          <select aria-label={t('search.agent')} value={agentId} onChange={(e) => setAgentId(e.target.value)}>
            <option value="">{t('search.anyAgent')}</option>
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.nick}
              </option>
            ))}
          </select>
          <select aria-label={t('search.direction')} value={direction} onChange={(e) => setDirection(e.target.value as typeof direction)}>
            <option value="">{t('search.anyDirection')}</option>
            <option value="buyer">{t('sender.buyer')}</option>
            <option value="agent">{t('sender.agent')}</option>
            <option value="system">{t('sender.system')}</option>
          </select>
          <input type="date" aria-label={t('search.from')} value={fromDay} onChange={(e) => setFromDay(e.target.value)} />
          <input type="date" aria-label={t('search.to')} value={toDay} onChange={(e) => setToDay(e.target.value)} />
        </div>
        <p className="muted search-count" role="status">
          {q.trim() === ''
            ? t('search.hint')
            : result
              ? t(
                  result.totalBound === 'exact'
                    ? 'search.count'
                    : result.totalBound === 'atMost'
                      ? 'search.countAtMost'
                      : 'search.countAtLeast',
                  {
                    n: result.total.toLocaleString(lang),
                  },
                )
              : loading
                ? t('search.searching')
                : ''}
        </p>
        {error && (
          <p role="alert" className="error">
            {errorText(t, error)}
          </p>
        )}
        {searchingOlder && <p className="muted">{t('search.searchingOlder')}</p>}
        {result && hits.length === 0 && !searchingOlder && <p className="muted">{t('search.none')}</p>}
        {hits.length > 0 && (
          <div className="search-results" role="listbox" aria-label={t('search.results')}>
            <Virtuoso
              data={hits}
              endReached={more}
              computeItemKey={(_, h) => h.messageId}
              itemContent={(i, h) => (
                <div
                  role="option"
                  aria-selected={i === current}
                  className={`search-hit${i === current ? ' active' : ''}${opened?.messageId === h.messageId ? ' opened' : ''}`}
                  onClick={() => {
                    setActive(i);
                    setOpened(h);
                  }}
                >
                  <div className="search-hit-head">
                    <span className="nick">{h.customerNick}</span>
                    <span className="muted">
                      {t(`sender.${h.sender}`)}
                      {h.agentNick ? ` · ${h.agentNick}` : ''}
                    </span>
                    <span className="spacer" />
                    <time className="muted" dateTime={new Date(h.createdAt).toISOString()}>
                      {formatDay(t, lang, h.createdAt, now)} {formatClock(lang, h.createdAt)}
                    </time>
                  </div>
                  <div className="search-hit-text">
                    {h.clippedStart && '…'}
                    <Highlighted text={h.text} ranges={h.ranges} />
                    {h.clippedEnd && '…'}
                  </div>
                </div>
              )}
            />
          </div>
        )}
      </section>
      {opened ? (
        <ConversationAt hit={opened} {...(onOpenAtDesk && atDesk?.(opened.conversationId) ? { onOpenAtDesk } : {})} />
      ) : (
        <div className="empty-view muted">{t('search.pick')}</div>
      )}
    </div>
  );
}
