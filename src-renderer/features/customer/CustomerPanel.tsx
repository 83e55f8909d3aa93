import { useMemo, useState } from 'react';
import type { Order } from '../../../shared/domain/types';
import { PendingMark } from '../../components/PendingMark';
import { useMutate, usePendingActions } from '../../db';
import { useT } from '../../i18n/useT';
import { useSend } from '../chat/useSend';
import { useDeskStore } from '../../state/store';
import { OrderList } from '../orders/OrderList';
import { useCustomerOrders } from '../orders/useCustomerOrders';
import { GroupPicker } from './GroupPicker';
import { TagEditor } from './TagEditor';
import { useCustomer } from './useCustomer';

/** The buyer beside the chat: profile, tags, group, remark, and orders with the flag and memo tools. */
export function CustomerPanel({ customerId, conversationId }: { customerId: string; conversationId: string }) {
  const { t, lang } = useT();
  const mutate = useMutate();
  const current = useCustomer(customerId);
  const remarkPending = usePendingActions()?.has('remark', customerId) ?? false;
  const [editingRemark, setEditingRemark] = useState(false);
  const [remark, setRemark] = useState('');
  const { send } = useSend(conversationId);
  const customerOrders = useCustomerOrders(customerId);
  const spend = useMemo(() => {
    const paid = (customerOrders.orders ?? []).filter((o) => o.status !== 'pending_payment' && o.status !== 'refunding');
    return { count: customerOrders.orders?.length ?? 0, cents: paid.reduce((sum, o) => sum + o.amountCents, 0) };
  }, [customerOrders.orders]);
  const usePhraseOrder = useDeskStore((s) => s.usePhraseOrder);

  const sendCard = (order: Order) =>
    void send(
      t('order.cardText', { no: order.orderNo, status: t(`order.status.${order.status}`), amount: (order.amountCents / 100).toFixed(2) }),
      order.id,
    );

  return (
    <aside className="customer-panel" aria-label={t('customer.title')} data-customer-id={customerId}>
      <h2 className="pane-title">{t('customer.title')}</h2>
      {current && (
        <div className="profile" data-customer-id={current.id}>
          <div className="nick">{current.nick}</div>
          <div className="muted">{t('customer.firstSeen', { date: new Date(current.firstSeenAt).toLocaleDateString(lang) })}</div>
          {customerOrders.orders && (
            <div className="spend">{t('customer.spend', { count: spend.count, amount: (spend.cents / 100).toFixed(2) })}</div>
          )}
          <TagEditor customer={current} />
          <GroupPicker customer={current} />
          {editingRemark ? (
            <div className="remark-editor">
              <textarea
                aria-label={t('customer.remarkLabel')}
                maxLength={500}
                rows={2}
                value={remark}
                onChange={(e) => setRemark(e.target.value)}
              />
              <div className="row">
                <button type="button" onClick={() => setEditingRemark(false)}>
                  {t('common.cancel')}
                </button>
                <button
                  type="button"
                  className="primary"
                  onClick={() => {
                    void mutate('customers.setRemark', { customerId, remark });
                    setEditingRemark(false);
                  }}
                >
                  {t('memo.save')}
                </button>
              </div>
            </div>
          ) : (
            <div className="remark">
              {current.remark ? t('customer.remark', { text: current.remark }) : <span className="muted">{t('customer.noRemark')}</span>}
              {remarkPending && <PendingMark />}
              <button
                type="button"
                className="link"
                aria-label={t('customer.editRemark')}
                onClick={() => {
                  setRemark(current.remark);
                  setEditingRemark(true);
                }}
              >
                {t('order.edit')}
              </button>
            </div>
          )}
        </div>
      )}
      <OrderList {...customerOrders} onSendCard={sendCard} onPhrase={(order) => usePhraseOrder(conversationId, order.id)} />
    </aside>
  );
}
