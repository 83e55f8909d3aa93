import { PhraseImageThumb } from '../PhraseImageThumb';
import { useEffect, useMemo, useRef, type KeyboardEvent, type RefObject } from 'react';
import type { PickerPhrase, PhraseGroup } from '../../../../shared/domain/types';
import { useT } from '../../../i18n/useT';
import { matchPhrases, type IndexedPhrase } from './matchPhrases';

export type PickerScope = 'all' | 'team' | 'personal';

export type PickerState = {
  query: string;
  active: number;
  preview: boolean;
  scope: PickerScope;
  groupId: string | null;
};

export const initialPicker = (query = ''): PickerState => ({ query, active: 0, preview: false, scope: 'all', groupId: null });

type Props = {
  state: PickerState;
  onChange: (next: PickerState) => void;
  index: IndexedPhrase[];
  groups: PhraseGroup[];
  /** Search mode (Ctrl+/) has its own box; slash mode reads the query from the composer. */
  searchBox: boolean;
  onPick: (phrase: PickerPhrase) => void;
  onClose: () => void;
  searchRef?: RefObject<HTMLInputElement | null>;
};

/** The results for the picker's state (used by the composer to act on Enter). */
export function pickerResults(index: IndexedPhrase[], state: PickerState): PickerPhrase[] {
  return matchPhrases(index, state.query, { scope: state.scope, groupId: state.groupId, limit: 50 });
}

/**
 * Keys the picker answers, wherever the focus is (the composer in slash mode, its own box in search
 * mode). Returns true when it handled the key.
 */
export function pickerKey(
  e: KeyboardEvent,
  state: PickerState,
  results: PickerPhrase[],
  props: Pick<Props, 'onChange' | 'onPick' | 'onClose'>,
): boolean {
  if (e.nativeEvent.isComposing) return false;
  const move = (delta: number) => {
    if (results.length === 0) return;
    props.onChange({ ...state, active: (state.active + delta + results.length) % results.length });
  };
  switch (e.key) {
    case 'ArrowDown':
      move(1);
      break;
    case 'ArrowUp':
      move(-1);
      break;
    case 'Enter': {
      const phrase = results[state.active];
      if (!phrase) return false;
      props.onPick(phrase);
      break;
    }
    case 'Tab':
      props.onChange({ ...state, preview: !state.preview });
      break;
    case 'Escape':
      props.onClose();
      break;
    default:
      return false;
  }
  e.preventDefault();
  e.stopPropagation();
  return true;
}

export function PhrasePicker({ state, onChange, index, groups, searchBox, onPick, onClose, searchRef }: Props) {
  const { t } = useT();
  const results = useMemo(() => pickerResults(index, state), [index, state]);
  const listRef = useRef<HTMLUListElement>(null);
  const active = results[Math.min(state.active, Math.max(0, results.length - 1))];
  const groupName = useMemo(() => new Map(groups.map((g) => [g.id, g.name])), [groups]);
  const visibleGroups = groups.filter((g) => state.scope === 'all' || g.scope === state.scope);

  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [state.active]);

  const tabs: { scope: PickerScope; label: string }[] = [
    { scope: 'all', label: t('picker.all') },
    { scope: 'team', label: t('picker.team') },
    { scope: 'personal', label: t('picker.personal') },
  ];

  return (
    <div className="phrase-picker" role="dialog" aria-label={t('picker.title')}>
      <div className="picker-bar">
        <div role="tablist" aria-label={t('picker.scope')}>
          {tabs.map((tab) => (
            <button
              key={tab.scope}
              type="button"
              role="tab"
              aria-selected={state.scope === tab.scope}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => onChange({ ...state, scope: tab.scope, groupId: null, active: 0 })}
            >
              {tab.label}
            </button>
          ))}
        </div>
        <select
          aria-label={t('picker.group')}
          value={state.groupId ?? ''}
          onChange={(e) => onChange({ ...state, groupId: e.target.value || null, active: 0 })}
        >
          <option value="">{t('picker.allGroups')}</option>
          {visibleGroups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
        {searchBox && (
          <input
            ref={searchRef}
            type="search"
            className="picker-search"
            aria-label={t('picker.search')}
            placeholder={t('picker.search')}
            value={state.query}
            onChange={(e) => onChange({ ...state, query: e.target.value, active: 0 })}
            onKeyDown={(e) => pickerKey(e, state, results, { onChange, onPick, onClose })}
          />
        )}
      </div>
      <div className="picker-body">
        <ul ref={listRef} role="listbox" aria-label={t('picker.results')} className="picker-results">
          {results.length === 0 && <li className="muted empty">{t('picker.none')}</li>}
          {results.map((p, i) => (
            <li
              key={p.id}
              role="option"
              aria-selected={p === active}
              className={p === active ? 'active' : ''}
              onMouseDown={(e) => e.preventDefault()}
              onMouseEnter={() => onChange({ ...state, active: i })}
              onClick={() => onPick(p)}
            >
              {p.code && <span className="code">{p.code}</span>}
              <span className="title">{p.title || groupName.get(p.groupId) || ''}</span>
              <span className="content">{p.content}</span>
              {p.image && <span className="phrase-has-image">{t('picker.hasImage')}</span>}
            </li>
          ))}
        </ul>
        {state.preview && active && (
          <div className="picker-preview" aria-label={t('picker.preview')} role="region">
            {active.content}
            {active.image && <PhraseImageThumb phraseId={active.id} image={active.image} />}
          </div>
        )}
      </div>
      <div className="picker-hint muted">{t('picker.hint')}</div>
    </div>
  );
}
