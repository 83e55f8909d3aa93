import { useState } from 'react';
import { ORDER_FLAGS, type OrderFlag } from '../../../shared/domain/flags';
import type { ContractError } from '../../../shared/contract/errors';
import { gbkByteLength, MEMO_MAX_GBK_BYTES, memoAfter, type MemoMode } from '../../../shared/domain/gbk';
import type { Order } from '../../../shared/domain/types';
import { useMutate, usePendingActions } from '../../db';
import { errorText } from '../../i18n';
import { useT } from '../../i18n/useT';
import { FlagPicker } from './FlagPicker';
import { MemoEditor } from './MemoEditor';
import { OrderCard } from './OrderCard';

/**
 * The buyer's orders, newest first: filter by flag, and select several to set flag and memo at once
 * (one transaction in the core: all of them change or none).
 */
type Props = {
  /** The buyer's orders (from useCustomerOrders in the panel). */
  orders: Order[] | null;
  error: ContractError | null;
  onSendCard: (order: Order) => void;
  onPhrase: (order: Order) => void;
};

export function OrderList({ orders, error, onSendCard, onPhrase }: Props) {
  const { t } = useT();
  const mutate = useMutate();
  const pending = usePendingActions();
  const [flagFilter, setFlagFilter] = useState<OrderFlag | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [batchFlag, setBatchFlag] = useState<OrderFlag | null>(null);
  // Appending is the default: a batch memo never wipes what an order already says unless asked to.
  const [memoMode, setMemoMode] = useState<MemoMode>('append');
  const [saveError, setSaveError] = useState<string | null>(null);

  // A mutation: the notes change at once and reach the core through the outbox.
  const setNotes = async (orderIds: string[], notes: { flag?: OrderFlag; memo?: string; memoMode?: MemoMode }): Promise<boolean> => {
    if (await mutate('orders.setNotes', { orderIds, ...notes })) {
      setSaveError(null);
      return true;
    }
    setSaveError(errorText(t, { code: 'internal', message: 'the desk could not save the change' }));
    return false;
  };

  if (error)
    return (
      <p role="alert" className="error">
        {errorText(t, error)}
      </p>
    );
  if (!orders) return null;
  const shown = flagFilter === null ? orders : orders.filter((o) => o.flag === flagFilter);
  const chosen = selected.filter((id) => orders.some((o) => o.id === id));
  const withMemo = orders.filter((o) => chosen.includes(o.id) && o.memo.trim() !== '');
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));

  return (
    <section className="order-list" aria-label={t('customer.orders', { count: orders.length })}>
      <h3 className="section-title">{t('customer.orders', { count: orders.length })}</h3>
      {orders.length === 0 && <p className="muted pad">{t('customer.noOrders')}</p>}
      {orders.length > 0 && (
        <div className="flag-filter" role="group" aria-label={t('order.filterByFlag')}>
          <button type="button" aria-pressed={flagFilter === null} onClick={() => setFlagFilter(null)}>
            {t('order.allFlags')}
          </button>
          {ORDER_FLAGS.map((f) => (
            <button
              key={f.code}
              type="button"
              aria-pressed={flagFilter === f.code}
              aria-label={t('order.onlyFlag', { colour: t(`flag.colour.${f.colour}`) })}
              onClick={() => setFlagFilter(f.code)}
            >
              <span className="flag-swatch" style={{ background: f.hex }} />
            </button>
          ))}
        </div>
      )}
      {chosen.length > 0 && (
        <div className="batch-bar" role="region" aria-label={t('order.batch')}>
          <div className="batch-title">
            {t('order.selectedCount', { count: chosen.length })}
            <button type="button" className="link" onClick={() => setSelected([])}>
              {t('order.clearSelection')}
            </button>
          </div>
          <FlagPicker label={t('order.batchFlag')} value={batchFlag} onChange={setBatchFlag} />
          <div className="batch-memo-count muted">{t('order.batchMemoExisting', { withMemo: withMemo.length, total: chosen.length })}</div>
          {withMemo.length > 0 && (
            <fieldset className="memo-mode">
              <legend>{t('order.memoMode')}</legend>
              {(['append', 'replace'] as const).map((mode) => (
                <label key={mode}>
                  <input type="radio" name="memo-mode" value={mode} checked={memoMode === mode} onChange={() => setMemoMode(mode)} />
                  {t(mode === 'append' ? 'order.memoAppend' : 'order.memoReplace')}
                </label>
              ))}
            </fieldset>
          )}
          <MemoEditor
            key={chosen.join(',')}
            initial=""
            label={t('order.batchMemo')}
            onSave={(memo) => {
              const notes: { flag?: OrderFlag; memo?: string; memoMode?: MemoMode } = {};
              if (batchFlag !== null) notes.flag = batchFlag;
              if (memo.trim()) {
                notes.memo = memo;
                notes.memoMode = withMemo.length > 0 ? memoMode : 'replace';
              }
              if (notes.flag === undefined && notes.memo === undefined) {
                setSaveError(t('order.batchNothing'));
                return;
              }
              // The core refuses the same; saying it here names the orders before anything is queued.
              const overflow =
                notes.memoMode === 'append'
                  ? withMemo.filter((o) => gbkByteLength(memoAfter(o.memo, memo, 'append')) > MEMO_MAX_GBK_BYTES)
                  : [];
              if (overflow.length > 0) {
                setSaveError(t('order.batchMemoOverflow', { orders: overflow.map((o) => o.orderNo).join('、'), max: MEMO_MAX_GBK_BYTES }));
                return;
              }
              void setNotes(chosen, notes).then((saved) => {
                if (saved) {
                  setSelected([]);
                  setBatchFlag(null);
                  setMemoMode('append');
                }
              });
            }}
          />
        </div>
      )}
      {saveError && (
        <p role="alert" className="error pad">
          {saveError}
        </p>
      )}
      <ul className="orders">
        {shown.map((order) => (
          <OrderCard
            key={order.id}
            order={order}
            selected={chosen.includes(order.id)}
            notesPending={pending?.has('orderNotes', order.id) ?? false}
            onToggle={toggle}
            onSetNotes={setNotes}
            onSendCard={onSendCard}
            onPhrase={onPhrase}
          />
        ))}
      </ul>
      {orders.length > 0 && shown.length === 0 && <p className="muted pad">{t('order.noneWithFlag')}</p>}
    </section>
  );
}
