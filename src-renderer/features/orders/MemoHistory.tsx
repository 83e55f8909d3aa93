import { useEffect, useState } from 'react';
import type { MemoEdit } from '../../../shared/domain/types';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';

/** The last 10 memo edits of an order, with who and when; loaded when opened. */
export function MemoHistory({ orderId, version }: { orderId: string; version: string }) {
  const { t, lang } = useT();
  const client = useClient();
  const [open, setOpen] = useState(false);
  const [edits, setEdits] = useState<MemoEdit[] | null>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    void client.call('orders.memoHistory', { orderId }).then((result) => {
      if (live && result.ok) setEdits(result.value);
    });
    return () => {
      live = false;
    };
  }, [client, open, orderId, version]);

  return (
    <div className="memo-history">
      <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('memo.history')}
      </button>
      {open && edits && (
        <ol aria-label={t('memo.history')}>
          {edits.length === 0 && <li className="muted">{t('memo.noHistory')}</li>}
          {edits.map((e) => (
            <li key={e.id}>
              <span className="muted">
                {new Date(e.at).toLocaleString(lang, { hour12: false })} · {e.authorNick ?? t('memo.unknownAuthor')}
              </span>
              <div className="memo-new">{e.newMemo || t('memo.cleared')}</div>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
