import { useReplicaGroups, useReplicaTags } from '../../db';
import { useT } from '../../i18n/useT';
import { useDeskStore, useShallow } from '../../state/store';
import type { ListFilter } from './conversationFilters';

/** 全部 / 未回复 / 我的 / 已挂起, by tag and customer group, and the sort order. */
export function ListFilters() {
  const { t } = useT();
  const view = useDeskStore(useShallow((s) => ({ filter: s.listFilter, sort: s.listSort, tagId: s.listTagId, groupId: s.listGroupId })));
  const setListView = useDeskStore((s) => s.setListView);
  const tags = useReplicaTags() ?? [];
  const groups = useReplicaGroups() ?? [];

  const tabs: { filter: ListFilter; label: string }[] = [
    { filter: 'all', label: t('filter.all') },
    { filter: 'waiting', label: t('filter.waiting') },
    { filter: 'mine', label: t('filter.mine') },
    { filter: 'held', label: t('filter.held') },
  ];
  return (
    <div className="list-filters">
      <div role="tablist" aria-label={t('filter.label')} className="filter-tabs">
        {tabs.map((tab) => (
          <button
            key={tab.filter}
            type="button"
            role="tab"
            aria-selected={view.filter === tab.filter}
            onClick={() => setListView({ listFilter: tab.filter })}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div className="filter-selects">
        <select aria-label={t('filter.tag')} value={view.tagId ?? ''} onChange={(e) => setListView({ listTagId: e.target.value || null })}>
          <option value="">{t('filter.anyTag')}</option>
          {tags.map((tag) => (
            <option key={tag.id} value={tag.id}>
              {tag.name}
            </option>
          ))}
        </select>
        <select
          aria-label={t('filter.group')}
          value={view.groupId ?? ''}
          onChange={(e) => setListView({ listGroupId: e.target.value || null })}
        >
          <option value="">{t('filter.anyGroup')}</option>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
        <select
          aria-label={t('filter.sort')}
          value={view.sort}
          onChange={(e) => setListView({ listSort: e.target.value === 'recent' ? 'recent' : 'waiting' })}
        >
          <option value="waiting">{t('filter.sortWaiting')}</option>
          <option value="recent">{t('filter.sortRecent')}</option>
        </select>
      </div>
    </div>
  );
}
