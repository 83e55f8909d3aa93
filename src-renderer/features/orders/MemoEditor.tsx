import { useState } from 'react';
import { gbkByteLength, MEMO_MAX_GBK_BYTES } from '../../../shared/domain/gbk';
import { useT } from '../../i18n/useT';

/**
 * The seller memo (备注) editor. The marketplace counts GBK bytes (a Chinese character is 2, an emoji
 * 4), so the counter does too; past 1000 the save is refused with a clear sentence, nothing is cut.
 */
export function MemoEditor({
  initial,
  label,
  busy,
  onSave,
  onCancel,
}: {
  initial: string;
  label: string;
  busy?: boolean;
  onSave: (memo: string) => void;
  onCancel?: () => void;
}) {
  const { t } = useT();
  const [text, setText] = useState(initial);
  const bytes = gbkByteLength(text);
  const over = bytes - MEMO_MAX_GBK_BYTES;
  return (
    <div className="memo-editor">
      <textarea aria-label={label} value={text} rows={3} onChange={(e) => setText(e.target.value)} />
      <div className="memo-editor-bar">
        <span className={`byte-counter${over > 0 ? ' error' : ''}`} aria-live="polite">
          {t('memo.bytes', { bytes, max: MEMO_MAX_GBK_BYTES })}
        </span>
        <span className="spacer" />
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
        <button type="button" className="primary" disabled={over > 0 || busy} onClick={() => onSave(text)}>
          {t('memo.save')}
        </button>
      </div>
      {over > 0 && (
        <p role="alert" className="error">
          {t('memo.tooLong', { max: MEMO_MAX_GBK_BYTES, over })}
        </p>
      )}
    </div>
  );
}
