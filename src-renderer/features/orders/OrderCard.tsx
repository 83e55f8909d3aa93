import { useState } from 'react';
import type { OrderFlag } from '../../../shared/domain/flags';
import type { Order } from '../../../shared/domain/types';
import { PendingMark } from '../../components/PendingMark';
import { useT } from '../../i18n/useT';
import { FlagPicker } from './FlagPicker';
import { MemoEditor } from './MemoEditor';
import { MemoHistory } from './MemoHistory';

type Props = {
  order: Order;
  selected: boolean;
  /** Its flag or memo changed here and the core has not confirmed it yet. */
  notesPending: boolean;
  onToggle: (id: string) => void;
  onSetNotes: (orderIds: string[], notes: { flag?: OrderFlag; memo?: string }) => Promise<boolean>;
  onSendCard: (order: Order) => void;
  /** Opens the phrase picker with this order filling the variables. */
  onPhrase: (order: Order) => void;
};

/** One order beside the chat: what was bought, where it goes, and the seller's flag and memo. */
export function OrderCard({ order, selected, notesPending, onToggle, onSetNotes, onSendCard, onPhrase }: Props) {
  const { t, lang } = useT();
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const label = t('order.label', { no: order.orderNo });
  return (
    <li className={`order-card${selected ? ' selected' : ''}`} aria-label={label} data-customer-id={order.customerId}>
      <div className="order-top">
        <label className="order-select">
          <input
            type="checkbox"
            checked={selected}
            onChange={() => onToggle(order.id)}
            aria-label={t('order.select', { no: order.orderNo })}
          />
          <span className="order-no">{order.orderNo}</span>
        </label>
        <span>
          {order.flashSale && (
            <span className="tag-flash-sale" title={t('order.flashSaleHint')}>
              {t('order.flashSale')}
            </span>
          )}{' '}
          <span className={`order-status status-${order.status}`}>
            {t(`order.status.${order.status}`)}
            {notesPending && <PendingMark />}
          </span>
        </span>
      </div>
      <div className="order-items">{order.items.map((item) => `${item.title}（${item.sku}）×${item.quantity}`).join('；')}</div>
      <div className="order-bottom">
        <span>{t('order.amount', { amount: (order.amountCents / 100).toFixed(2) })}</span>
        <span className="muted">{new Date(order.createdAt).toLocaleString(lang, { hour12: false })}</span>
      </div>
      {order.address && <div className="order-address muted">{order.address}</div>}
      {order.logisticsCompany && (
        <div className="order-logistics muted">
          {order.logisticsCompany} {order.trackingNo ?? ''}
        </div>
      )}
      <div className="order-tools">
        <FlagPicker
          label={t('order.flag', { no: order.orderNo })}
          value={order.flag}
          disabled={busy}
          onChange={(flag) => {
            setBusy(true);
            void onSetNotes([order.id], { flag }).finally(() => setBusy(false));
          }}
        />
        <span className="order-actions">
          <button type="button" className="link" onClick={() => onPhrase(order)}>
            {t('order.phrase')}
          </button>
          <button type="button" className="link" onClick={() => onSendCard(order)}>
            {t('order.sendCard')}
          </button>
        </span>
      </div>
      {editing ? (
        <MemoEditor
          initial={order.memo}
          label={t('order.memoLabel', { no: order.orderNo })}
          busy={busy}
          onCancel={() => setEditing(false)}
          onSave={(memo) => {
            setBusy(true);
            void onSetNotes([order.id], { memo })
              .then((saved) => saved && setEditing(false))
              .finally(() => setBusy(false));
          }}
        />
      ) : (
        <div className="memo-line">
          {order.memo ? (
            <span className="memo">{t('order.memo', { text: order.memo })}</span>
          ) : (
            <span className="muted">{t('order.noMemo')}</span>
          )}
          <button type="button" className="link" onClick={() => setEditing(true)} aria-label={t('order.editMemo', { no: order.orderNo })}>
            {t('order.edit')}
          </button>
        </div>
      )}
      <MemoHistory orderId={order.id} version={order.memo} />
    </li>
  );
}
