import { useState, type KeyboardEvent } from 'react';
import { useT } from '../../i18n/useT';
import { useDeskStore } from '../../state/store';

/**
 * The reply box. Multi-line; the draft is kept per conversation (switching or reloading loses
 * nothing); Enter sends and Shift+Enter breaks the line (the send key is shown on the button).
 */
export function Composer({ conversationId, onSend }: { conversationId: string; onSend: (text: string) => void }) {
  const { t } = useT();
  const draft = useDeskStore((s) => s.drafts[conversationId] ?? '');
  const setDraft = useDeskStore((s) => s.setDraft);
  const sendKey = useDeskStore((s) => s.sendKey);
  const [composing, setComposing] = useState(false);

  const submit = () => {
    if (!draft.trim()) return;
    onSend(draft);
    setDraft(conversationId, '');
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // An IME (pinyin input) uses Enter to pick a candidate: never send then.
    if (e.key !== 'Enter' || composing || e.nativeEvent.isComposing) return;
    const wantsSend = sendKey === 'enter' ? !e.shiftKey && !e.ctrlKey && !e.metaKey : e.ctrlKey || e.metaKey;
    if (wantsSend) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <textarea
        aria-label={t('composer.label')}
        placeholder={t('composer.placeholder')}
        value={draft}
        rows={3}
        maxLength={5000}
        onChange={(e) => setDraft(conversationId, e.target.value)}
        onKeyDown={onKeyDown}
        onCompositionStart={() => setComposing(true)}
        onCompositionEnd={() => setComposing(false)}
      />
      <div className="composer-actions">
        <button type="submit" className="primary" disabled={!draft.trim()}>
          {t('composer.send')}
          <span className="key-hint">{sendKey === 'enter' ? t('composer.sendKey') : 'Ctrl+Enter'}</span>
        </button>
      </div>
    </form>
  );
}
