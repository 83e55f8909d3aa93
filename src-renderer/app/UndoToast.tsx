import { useEffect, useRef } from 'react';
import { useT } from '../i18n/useT';

/** How long an undo is offered. */
export const UNDO_MS = 6000;

/** A line at the bottom of the window saying what was just done, with an undo (Alt+Z) for a few seconds. */
export function UndoToast({ text, onUndo, onTimeout }: { text: string; onUndo: () => void; onTimeout: () => void }) {
  const { t } = useT();
  // The offer lasts from when it appeared, however often the desk around it re-renders.
  const timeout = useRef(onTimeout);
  timeout.current = onTimeout;
  useEffect(() => {
    const timer = setTimeout(() => timeout.current(), UNDO_MS);
    return () => clearTimeout(timer);
  }, []);
  return (
    <div className="undo-toast" role="status">
      <span>{text}</span>
      <button type="button" className="link" onClick={onUndo}>
        {t('end.undo')} <kbd>Alt+Z</kbd>
      </button>
    </div>
  );
}
