import { useMemo, useState } from 'react';
import type { ConversationSummary } from '../../shared/domain/types';
import { useT } from '../i18n/useT';

export type Command = { id: string; label: string; run: () => void };

/** Ctrl+K: jump to a conversation by buyer nick, or run an action, without the mouse. */
export function CommandBar({
  conversations,
  actions,
  onJump,
  onClose,
}: {
  conversations: ConversationSummary[];
  actions: Command[];
  onJump: (id: string) => void;
  onClose: () => void;
}) {
  const { t } = useT();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const items = useMemo<Command[]>(() => {
    const q = query.trim().toLowerCase();
    const jumps = conversations
      .filter((c) => q === '' || c.customerNick.toLowerCase().includes(q))
      .slice(0, 8)
      .map((c) => ({ id: `jump:${c.id}`, label: t('commands.jump', { nick: c.customerNick }), run: () => onJump(c.id) }));
    const acts = actions.filter((a) => q === '' || a.label.toLowerCase().includes(q));
    return [...jumps, ...acts];
  }, [query, conversations, actions, onJump, t]);
  const current = Math.min(active, Math.max(0, items.length - 1));

  const run = (item: Command | undefined) => {
    if (!item) return;
    onClose();
    item.run();
  };

  return (
    <div className="overlay" onClick={onClose}>
      <div role="dialog" aria-modal="true" aria-label={t('commands.title')} className="command-bar" onClick={(e) => e.stopPropagation()}>
        <input
          type="text"
          role="combobox"
          aria-expanded="true"
          aria-controls="command-results"
          aria-label={t('commands.input')}
          placeholder={t('commands.input')}
          autoFocus
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.nativeEvent.isComposing) return;
            if (e.key === 'ArrowDown') setActive((current + 1) % Math.max(1, items.length));
            else if (e.key === 'ArrowUp') setActive((current - 1 + items.length) % Math.max(1, items.length));
            else if (e.key === 'Enter') run(items[current]);
            else if (e.key === 'Escape') onClose();
            else return;
            e.preventDefault();
          }}
        />
        <ul id="command-results" role="listbox" aria-label={t('commands.results')}>
          {items.map((item, i) => (
            <li
              key={item.id}
              role="option"
              aria-selected={i === current}
              className={i === current ? 'active' : ''}
              onClick={() => run(item)}
            >
              {item.label}
            </li>
          ))}
          {items.length === 0 && <li className="muted">{t('commands.none')}</li>}
        </ul>
      </div>
    </div>
  );
}
