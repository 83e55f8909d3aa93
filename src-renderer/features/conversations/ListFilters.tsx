import { useReplicaGroups, useReplicaTags } from '../../db';
import { useT } from '../../i18n/useT';
import { useDeskStore, useShallow } from '../../state/store';
import type { ListFilter, ListScope } from './conversationFilters';

/**
 * Whose conversations (我的 / 未分配 / 全部, each with its count), only 未回复 or 已挂起 within them,
 * by tag and customer group, and the sort order.
 */
export function ListFilters({ counts }: { counts: Record<ListScope, number> | null }) {
  const { t } = useT();
  const view = useDeskStore(
    useShallow((s) => ({ scope: s.listScope, filter: s.listFilter, sort: s.listSort, tagId: s.listTagId, groupId: s.listGroupId })),
  );
  const setListView = useDeskStore((s) => s.setListView);
  const tags = useReplicaTags() ?? [];
  const groups = useReplicaGroups() ?? [];

  const scopes: { scope: ListScope; label: string }[] = [
    { scope: 'mine', label: t('filter.mine') },
    { scope: 'unassigned', label: t('filter.unassigned') },
    { scope: 'all', label: t('filter.all') },
  ];
  const refinements: { filter: Exclude<ListFilter, 'all'>; label: string }[] = [
    { filter: 'waiting', label: t('filter.waiting') },
    { filter: 'held', label: t('filter.held') },
  ];
  return (
    <div className="list-filters">
      <div role="tablist" aria-label={t('filter.scope')} className="filter-tabs">
        {scopes.map((tab) => {
          const count = counts?.[tab.scope];
          return (
            <button
              key={tab.scope}
              type="button"
              role="tab"
              aria-selected={view.scope === tab.scope}
              aria-label={count === undefined ? tab.label : t('filter.withCount', { label: tab.label, count })}
              className={tab.scope === 'unassigned' && count ? 'has-queue' : undefined}
              onClick={() => setListView({ listScope: tab.scope })}
            >
              {tab.label}
              {count !== undefined && <span className="tab-count">{count}</span>}
            </button>
          );
        })}
      </div>
      <div role="group" aria-label={t('filter.label')} className="filter-refine">
        <span className="muted">{t('filter.refine')}</span>
        {refinements.map((r) => (
          <button
            key={r.filter}
            type="button"
            aria-pressed={view.filter === r.filter}
            onClick={() => setListView({ listFilter: view.filter === r.filter ? 'all' : r.filter })}
          >
            {r.label}
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
