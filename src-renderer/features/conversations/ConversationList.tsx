import { forwardRef, type HTMLAttributes } from 'react';
import { Virtuoso } from 'react-virtuoso';
import { errorText } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useNow } from '../../hooks/useNow';
import { useDeskStore } from '../../state/store';
import { ConversationItem } from './ConversationItem';
import { ListFilters } from './ListFilters';
import { usePersonal } from '../personal/PersonalProvider';
import { useReturningBuyers } from './useReturningBuyers';
import type { ListScope } from './conversationFilters';
import type { ContractError } from '../../../shared/contract/errors';
import type { ConversationSummary } from '../../../shared/domain/types';

const ListBox = forwardRef<HTMLDivElement, HTMLAttributes<HTMLDivElement>>(function ListBox(props, ref) {
  const { t } = useT();
  return <div {...props} ref={ref} role="listbox" aria-label={t('list.label')} />;
});

/** The open conversations, longest-waiting first, virtualised so a thousand scroll smoothly; each says whose it is. */
type Props = {
  conversations: ConversationSummary[] | null;
  shown: ConversationSummary[] | null;
  error: ContractError | null;
  /** Open conversations per scope (我的 / 未分配 / 全部). */
  counts: Record<ListScope, number> | null;
  /** Owners' nicks by agent id (the replica's roster). */
  nicks: ReadonlyMap<string, string>;
  /** The agent at this desk. */
  agentId: string | null;
};

export function ConversationList({ conversations, shown, error, counts, nicks, agentId }: Props) {
  const { t } = useT();
  const selectedId = useDeskStore((s) => s.selectedConversationId);
  const select = useDeskStore((s) => s.select);
  const query = useDeskStore((s) => s.listQuery);
  const setQuery = useDeskStore((s) => s.setListQuery);
  const { items: personal } = usePersonal();
  const returning = useReturningBuyers(conversations);
  const now = useNow(5_000);

  return (
    <section className="conversation-list" aria-labelledby="conversation-list-title">
      <h2 id="conversation-list-title" className="pane-title">
        {t('list.title')}
        {conversations && <span className="count">{conversations.length}</span>}
      </h2>
      <input
        type="search"
        className="list-search"
        aria-label={t('list.search')}
        placeholder={t('list.search')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <ListFilters counts={counts} />
      {error && (
        <p role="alert" className="error">
          {errorText(t, error)}
        </p>
      )}
      {!conversations && !error && <p className="muted">{t('list.loading')}</p>}
      {conversations?.length === 0 && <p className="muted">{t('list.empty')}</p>}
      {conversations && conversations.length > 0 && shown?.length === 0 && <p className="muted">{t('list.noMatch')}</p>}
      {shown && shown.length > 0 && (
        <Virtuoso
          className="conversation-scroller"
          data={shown}
          computeItemKey={(_, c) => c.id}
          components={{ List: ListBox }}
          itemContent={(_, c) => (
            <ConversationItem
              conversation={c}
              selected={c.id === selectedId}
              personal={personal.get(c.id)}
              returning={returning.has(c.customerId)}
              now={now}
              owner={c.agentId === null ? null : c.agentId === agentId ? 'me' : (nicks.get(c.agentId) ?? '')}
              onSelect={select}
            />
          )}
        />
      )}
    </section>
  );
}
