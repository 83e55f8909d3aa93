import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { MessageKey } from '../../i18n';
import { useT } from '../../i18n/useT';
import { EMOJI_GROUPS, loadEmoji, searchEmoji, type Emoji, type EmojiGroup } from './emoji';

const GROUP_ICON: Record<EmojiGroup, string> = { 0: '😀', 1: '👋', 3: '🐱', 4: '🍜', 6: '⚽', 5: '🚗', 7: '💡', 8: '❤️' };

/**
 * The emoji picker (issue 15): search by Chinese name (赞, 笑, 礼物), browse by group, the agent's
 * recent ones first. Arrow keys move in the grid, Enter inserts, Esc closes and returns to the box.
 */
export function EmojiPicker({ recent, onPick, onClose }: { recent: string[]; onPick: (emoji: string) => void; onClose: () => void }) {
  const { t } = useT();
  const [all, setAll] = useState<Emoji[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [query, setQuery] = useState('');
  const [group, setGroup] = useState<EmojiGroup | 'recent'>(recent.length > 0 ? 'recent' : 0);
  const [active, setActive] = useState(0);
  const grid = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    loadEmoji().then(
      (list) => live && setAll(list),
      () => live && setFailed(true),
    );
    search.current?.focus();
    return () => {
      live = false;
    };
  }, []);

  const shown = useMemo(() => {
    if (query.trim()) return all ? searchEmoji(all, query).map((e) => ({ unicode: e.unicode, label: e.label })) : [];
    if (group === 'recent') {
      const byUnicode = new Map((all ?? []).map((e) => [e.unicode, e.label]));
      return recent.map((u) => ({ unicode: u, label: byUnicode.get(u) ?? u }));
    }
    return (all ?? []).filter((e) => e.group === group).map((e) => ({ unicode: e.unicode, label: e.label }));
  }, [all, query, group, recent]);
  const current = Math.min(active, Math.max(0, shown.length - 1));

  const COLUMNS = 9;
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.nativeEvent.isComposing) return;
    const move = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS }[e.key];
    if (move !== undefined && shown.length > 0) {
      e.preventDefault();
      setActive(Math.min(Math.max(0, current + move), shown.length - 1));
    } else if (e.key === 'Enter' && shown[current]) {
      e.preventDefault();
      onPick(shown[current].unicode);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
    }
  };

  useEffect(() => {
    grid.current?.querySelector<HTMLElement>(`[data-index="${current}"]`)?.scrollIntoView?.({ block: 'nearest' });
  }, [current]);

  return (
    <div className="emoji-picker" role="dialog" aria-label={t('emoji.title')} onKeyDown={onKeyDown}>
      <input
        ref={search}
        type="search"
        aria-label={t('emoji.search')}
        placeholder={t('emoji.search')}
        value={query}
        maxLength={20}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
      />
      {!query.trim() && (
        <div role="tablist" aria-label={t('emoji.groups')} className="emoji-groups">
          {recent.length > 0 && (
            <button
              type="button"
              role="tab"
              aria-selected={group === 'recent'}
              title={t('emoji.recent')}
              onClick={() => (setGroup('recent'), setActive(0))}
            >
              🕘
            </button>
          )}
          {EMOJI_GROUPS.map((g) => (
            <button
              key={g}
              type="button"
              role="tab"
              aria-selected={group === g}
              title={t(`emoji.group.${g}` as MessageKey)}
              aria-label={t(`emoji.group.${g}` as MessageKey)}
              onClick={() => (setGroup(g), setActive(0))}
            >
              {GROUP_ICON[g]}
            </button>
          ))}
        </div>
      )}
      {failed ? (
        <p role="alert" className="error">
          {t('emoji.failed')}
        </p>
      ) : !all ? (
        <p className="muted">{t('emoji.loading')}</p>
      ) : shown.length === 0 ? (
        <p className="muted">{t('emoji.none')}</p>
      ) : (
        <div ref={grid} className="emoji-grid" role="grid" aria-label={t('emoji.title')}>
          {shown.map((e, i) => (
            <button
              key={e.unicode}
              type="button"
              data-index={i}
              className={i === current ? 'active' : undefined}
              aria-label={e.label}
              title={e.label}
              tabIndex={-1}
              onMouseEnter={() => setActive(i)}
              onClick={() => onPick(e.unicode)}
            >
              {e.unicode}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
