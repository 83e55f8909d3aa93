import { useEffect, useState } from 'react';
import type { ContractError } from '../../../shared/contract/errors';
import type { Customer, Order } from '../../../shared/domain/types';
import { errorText } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useClient, useConnection } from '../../ipc/ClientContext';
import { TagChip } from '../../components/TagChip';

/** The buyer beside the chat: profile, tags, and orders newest first. */
export function CustomerPanel({ customerId }: { customerId: string }) {
  const { t, lang } = useT();
  const client = useClient();
  const { epoch } = useConnection();
  const [data, setData] = useState<{ customerId: string; customer: Customer; orders: Order[] } | null>(null);
  const [error, setError] = useState<ContractError | null>(null);

  useEffect(() => {
    let live = true;
    void Promise.all([client.call('customers.get', { customerId }), client.call('orders.listByCustomer', { customerId })]).then(
      ([customer, orders]) => {
        if (!live) return;
        if (!customer.ok) return setError(customer.error);
        if (!orders.ok) return setError(orders.error);
        setError(null);
        setData({ customerId, customer: customer.value, orders: orders.value });
      },
    );
    return () => {
      live = false;
    };
  }, [client, customerId, epoch]);

  const current = data?.customerId === customerId ? data : null;
  return (
    <aside className="customer-panel" aria-label={t('customer.title')}>
      <h2 className="pane-title">{t('customer.title')}</h2>
      {error && <p role="alert" className="error">{errorText(t, error)}</p>}
      {current && (
        <>
          <div className="profile">
            <div className="nick">{current.customer.nick}</div>
            <div className="muted">{t('customer.firstSeen', { date: new Date(current.customer.firstSeenAt).toLocaleDateString(lang) })}</div>
            <div className="tags">
              {current.customer.tags.map((tag) => (
                <TagChip key={tag.id} tag={tag} />
              ))}
            </div>
            {current.customer.remark && <div className="remark">{t('customer.remark', { text: current.customer.remark })}</div>}
          </div>
          <h3 className="section-title">{t('customer.orders', { count: current.orders.length })}</h3>
          {current.orders.length === 0 && <p className="muted">{t('customer.noOrders')}</p>}
          <ul className="orders" aria-label={t('customer.orders', { count: current.orders.length })}>
            {current.orders.map((order) => (
              <li key={order.id} className="order-card">
                <div className="order-top">
                  <span className="order-no">{order.orderNo}</span>
                  <span className={`order-status status-${order.status}`}>{t(`order.status.${order.status}`)}</span>
                </div>
                <div className="order-items">{order.items.map((item) => `${item.title} ×${item.quantity}`).join('，')}</div>
                <div className="order-bottom">
                  <span>{t('order.amount', { amount: (order.amountCents / 100).toFixed(2) })}</span>
                  <span className="muted">{new Date(order.createdAt).toLocaleDateString(lang)}</span>
                </div>
                {order.memo && <div className="memo">{t('order.memo', { text: order.memo })}</div>}
              </li>
            ))}
          </ul>
        </>
      )}
    </aside>
  );
}
