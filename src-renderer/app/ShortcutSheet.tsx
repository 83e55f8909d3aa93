import { useEffect, useRef } from 'react';
import { useT } from '../i18n/useT';
import type { MessageKey } from '../i18n';

const SHORTCUTS: { keys: string; what: MessageKey }[] = [
  { keys: 'Alt+↑ / Alt+↓', what: 'keys.prevNext' },
  { keys: 'Alt+Shift+↓', what: 'keys.nextWaiting' },
  { keys: 'Alt+E', what: 'keys.endNext' },
  { keys: 'Alt+Z', what: 'keys.undoEnd' },
  { keys: 'Ctrl+K', what: 'keys.commands' },
  { keys: 'Ctrl+F', what: 'search.keys' },
  { keys: '/ · Ctrl+/', what: 'keys.picker' },
  { keys: '↑ ↓ · Enter · Tab · Esc', what: 'keys.pickerKeys' },
  { keys: 'Enter · Shift+Enter', what: 'keys.send' },
  { keys: '? · Ctrl+Shift+/', what: 'keys.sheet' },
];

/** Every keyboard shortcut of the desk, in one sheet. */
export function ShortcutSheet({ onClose }: { onClose: () => void }) {
  const { t } = useT();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <div className="overlay" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-label={t('keys.title')}
        className="sheet"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <h2>{t('keys.title')}</h2>
        <table>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <td>
                  <kbd>{s.keys}</kbd>
                </td>
                <td>{t(s.what)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button ref={closeRef} type="button" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </div>
  );
}
