import { useCallback, useEffect, useState } from 'react';
import type { PendingOrder } from '../../../shared/contract/automation';
import { yuan } from '../../../shared/domain/automation/settings';
import { errorText, formatDuration } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';

/** How often the queue asks again (orders placed or paid meanwhile). */
const REFRESH_MS = 15_000;

/**
 * 待付款: orders placed and not paid, newest first: how long ago, the buyer, the amount; 催付 sends
 * the reminder card into the buyer's conversation at once and the row says 已催付 (the runner, on
 * this desk or the hub, then leaves the order alone).
 */
export function PendingQueue({ now = Date.now }: { now?: () => number }) {
  const { t } = useT();
  const client = useClient();
  const [orders, setOrders] = useState<PendingOrder[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    const r = await client.call('automation.pending', {});
    if (r.ok) setOrders(r.value);
    else setNotice(errorText(t, r.error));
  }, [client, t]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const remind = async (order: PendingOrder) => {
    setBusy(order.orderId);
    const r = await client.call('automation.remind', { orderId: order.orderId });
    setBusy(null);
    if (r.ok || r.error.code === 'conflict') {
      setOrders((list) => list?.map((o) => (o.orderId === order.orderId ? { ...o, reminded: true } : o)) ?? null);
      setNotice(r.ok ? t('automation.pending.sent', { nick: order.customerNick }) : t('automation.pending.already'));
    } else setNotice(errorText(t, r.error));
  };

  if (!orders) return <p className="muted">{notice ?? t('automation.loading')}</p>;
  return (
    <section className="automation-pending" aria-label={t('automation.tab.pending')}>
      <p className="muted">{t('automation.pending.hint', { n: orders.length })}</p>
      {notice && (
        <p role="status" className="automation-notice">
          {notice}
        </p>
      )}
      {orders.length === 0 ? (
        <p className="muted">{t('automation.pending.empty')}</p>
      ) : (
        <table className="automation-table">
          <thead>
            <tr>
              <th scope="col">{t('automation.pending.ago')}</th>
              <th scope="col">{t('automation.pending.buyer')}</th>
              <th scope="col">{t('automation.pending.amount')}</th>
              <th scope="col">{t('automation.pending.orderNo')}</th>
              <th scope="col">
                <span className="sr-only">{t('automation.pending.action')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.orderId} data-order-id={o.orderId}>
                <td>{t('automation.pending.agoValue', { time: formatDuration(t, Math.max(0, now() - o.createdAt)) })}</td>
                <td>{o.customerNick}</td>
                <td className="num">{yuan(o.amountCents)}</td>
                <td className="mono">
                  {o.orderNo}
                  {o.flashSale && (
                    <span className="tag-flash-sale" title={t('order.flashSaleHint')}>
                      {t('order.flashSale')}
                    </span>
                  )}
                </td>
                <td>
                  {o.reminded ? (
                    <span className="tag-reminded">{t('automation.pending.reminded')}</span>
                  ) : (
                    <button type="button" disabled={busy === o.orderId} onClick={() => void remind(o)}>
                      {t('automation.pending.remind')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
