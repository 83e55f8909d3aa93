import { useEffect, useRef } from 'react';
import { useT } from '../i18n/useT';

/** A question before an action the agent may not mean: the confirm button has focus, Esc or 取消 keeps things as they are. */
export function ConfirmDialog({
  text,
  confirm,
  onConfirm,
  onCancel,
}: {
  text: string;
  confirm: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useT();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => button.current?.focus(), []);
  return (
    <div className="overlay" onClick={onCancel}>
      <div
        role="alertdialog"
        aria-modal="true"
        aria-label={text}
        className="sheet confirm"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Escape' && onCancel()}
      >
        <p>{text}</p>
        <div className="actions">
          <button ref={button} type="button" onClick={onConfirm}>
            {confirm}
          </button>
          <button type="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}
