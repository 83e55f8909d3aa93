import { forwardRef, useEffect, useRef } from 'react';
import type { RedLineMatch } from '../../../shared/domain/redLines/matcher';
import { useT } from '../../i18n/useT';
import { segments } from './segments';

/**
 * The text of the reply box drawn again behind it (same box, font and wrapping; the box itself is
 * transparent), with red-line words in <mark>. Text pieces only, never HTML: the draft may hold a
 * buyer's words pasted back.
 */
export const RedLineBackdrop = forwardRef<HTMLDivElement, { text: string; matches: readonly RedLineMatch[] }>(function RedLineBackdrop(
  { text, matches },
  ref,
) {
  return (
    <div ref={ref} className="composer-backdrop" aria-hidden="true" data-testid="red-line-backdrop">
      {matches.length > 0 &&
        segments(text, matches).map((s, i) =>
          s.caught ? (
            <mark key={i} className="red-line">
              {s.text}
            </mark>
          ) : (
            <span key={i}>{s.text}</span>
          ),
        )}
      {/* A trailing line break would collapse without something after it. */}
      {'\u200b'}
    </div>
  );
});

/** Asks before a reply holding red-line words goes out. Going back to edit is the default (Enter, Esc). */
export function RedLineConfirm({ words, onSend, onEdit }: { words: string[]; onSend: () => void; onEdit: () => void }) {
  const { t } = useT();
  const editButton = useRef<HTMLButtonElement>(null);
  useEffect(() => editButton.current?.focus(), []);
  return (
    <div
      className="red-line-confirm"
      role="alertdialog"
      aria-modal="false"
      aria-labelledby="red-line-confirm-title"
      aria-describedby="red-line-confirm-body"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onEdit();
        }
      }}
    >
      <strong id="red-line-confirm-title">{t('redLine.confirmTitle')}</strong>
      <p id="red-line-confirm-body">{t('redLine.confirmBody', { words: words.join('、') })}</p>
      <div className="red-line-confirm-actions">
        <button type="button" ref={editButton} className="primary" onClick={onEdit}>
          {t('redLine.edit')}
        </button>
        <button type="button" className="danger" onClick={onSend}>
          {t('redLine.sendAnyway')}
        </button>
      </div>
    </div>
  );
}
