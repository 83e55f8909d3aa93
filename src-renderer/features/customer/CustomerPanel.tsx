import { useEffect, useMemo, useState } from 'react';
import type { ContractError } from '../../../shared/contract/errors';
import type { Customer, Order } from '../../../shared/domain/types';
import { errorText } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useClient, useConnection, useCoreEvent } from '../../ipc/ClientContext';
import { useSend } from '../chat/useSend';
import { useDeskStore } from '../../state/store';
import { OrderList } from '../orders/OrderList';
import { useCustomerOrders } from '../orders/useCustomerOrders';
import { GroupPicker } from './GroupPicker';
import { TagEditor } from './TagEditor';

const noop = () => undefined;

/** The buyer beside the chat: profile, tags, group, remark, and orders with the flag and memo tools. */
export function CustomerPanel({ customerId, conversationId }: { customerId: string; conversationId: string }) {
  const { t, lang } = useT();
  const client = useClient();
  const { epoch } = useConnection();
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const [tick, setTick] = useState(0);
  const [editingRemark, setEditingRemark] = useState(false);
  const [remark, setRemark] = useState('');
  const { send } = useSend(conversationId, noop);
  const customerOrders = useCustomerOrders(customerId);
  const spend = useMemo(() => {
    const paid = (customerOrders.orders ?? []).filter((o) => o.status !== 'pending_payment' && o.status !== 'refunding');
    return { count: customerOrders.orders?.length ?? 0, cents: paid.reduce((sum, o) => sum + o.amountCents, 0) };
  }, [customerOrders.orders]);
  const usePhraseOrder = useDeskStore((s) => s.usePhraseOrder);

  useEffect(() => {
    let live = true;
    void client.call('customers.get', { customerId }).then((result) => {
      if (!live) return;
      if (result.ok) {
        setError(null);
        setCustomer(result.value);
      } else setError(result.error);
    });
    return () => {
      live = false;
    };
  }, [client, customerId, epoch, tick]);

  useCoreEvent('customers.changed', ({ customerIds }) => {
    if (customerIds.includes(customerId)) setTick((n) => n + 1);
  });

  const current = customer?.id === customerId ? customer : null;
  const sendCard = (order: Order) => send(t('order.cardText', { no: order.orderNo, status: t(`order.status.${order.status}`), amount: (order.amountCents / 100).toFixed(2) }), order.id);

  return (
    <aside className="customer-panel" aria-label={t('customer.title')}>
      <h2 className="pane-title">{t('customer.title')}</h2>
      {error && <p role="alert" className="error pad">{errorText(t, error)}</p>}
      {current && (
        <div className="profile">
          <div className="nick">{current.nick}</div>
          <div className="muted">{t('customer.firstSeen', { date: new Date(current.firstSeenAt).toLocaleDateString(lang) })}</div>
          {customerOrders.orders && (
            <div className="spend">{t('customer.spend', { count: spend.count, amount: (spend.cents / 100).toFixed(2) })}</div>
          )}
          <TagEditor customer={current} onChanged={setCustomer} />
          <GroupPicker customer={current} onChanged={setCustomer} />
          {editingRemark ? (
            <div className="remark-editor">
              <textarea aria-label={t('customer.remarkLabel')} maxLength={500} rows={2} value={remark} onChange={(e) => setRemark(e.target.value)} />
              <div className="row">
                <button type="button" onClick={() => setEditingRemark(false)}>
                  {t('common.cancel')}
                </button>
                <button
                  type="button"
                  className="primary"
                  onClick={() =>
                    void client.call('customers.setRemark', { customerId, remark }).then((r) => {
                      if (r.ok) {
                        setCustomer(r.value);
                        setEditingRemark(false);
                      } else setError(r.error);
                    })
                  }
                >
                  {t('memo.save')}
                </button>
              </div>
            </div>
          ) : (
            <div className="remark">
              {current.remark ? t('customer.remark', { text: current.remark }) : <span className="muted">{t('customer.noRemark')}</span>}
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
