import { forwardRef, type HTMLAttributes } from 'react';
import { Virtuoso } from 'react-virtuoso';
import { errorText } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useNow } from '../../hooks/useNow';
import { useDeskStore } from '../../state/store';
import { ConversationItem } from './ConversationItem';
import { ListFilters } from './ListFilters';
import type { ContractError } from '../../../shared/contract/errors';
import type { ConversationSummary } from '../../../shared/domain/types';

const ListBox = forwardRef<HTMLDivElement, HTMLAttributes<HTMLDivElement>>(function ListBox(props, ref) {
  const { t } = useT();
  return <div {...props} ref={ref} role="listbox" aria-label={t('list.label')} />;
});

/** The open conversations, longest-waiting first, virtualised so a thousand scroll smoothly. */
type Props = { conversations: ConversationSummary[] | null; shown: ConversationSummary[] | null; error: ContractError | null };

export function ConversationList({ conversations, shown, error }: Props) {
  const { t } = useT();
  const selectedId = useDeskStore((s) => s.selectedConversationId);
  const select = useDeskStore((s) => s.select);
  const query = useDeskStore((s) => s.listQuery);
  const setQuery = useDeskStore((s) => s.setListQuery);
  const held = useDeskStore((s) => s.held);
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
      <ListFilters />
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
            <ConversationItem conversation={c} selected={c.id === selectedId} held={Boolean(held[c.id])} now={now} onSelect={select} />
          )}
        />
      )}
    </section>
  );
}
