import { useEffect, useState } from 'react';
import type { ReminderLog } from '../../../shared/contract/automation';
import { yuan } from '../../../shared/domain/automation/settings';
import { errorText } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';

/** The reminder log with the figures a supervisor wants: reminded today / 7 days, paid after, recovered. */
export function ReminderLogView() {
  const { t, lang } = useT();
  const client = useClient();
  const [log, setLog] = useState<ReminderLog | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    void client.call('automation.log', { limit: 100 }).then((r) => (r.ok ? setLog(r.value) : setFailure(errorText(t, r.error))));
  }, [client, t]);
  if (!log) return <p className="muted">{failure ?? t('automation.loading')}</p>;
  const f = log.figures;
  const when = (at: number) =>
    new Date(at).toLocaleString(lang, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
  return (
    <section className="automation-log" aria-label={t('automation.tab.log')}>
      <dl className="automation-figures">
        <div>
          <dt>{t('automation.log.today')}</dt>
          <dd>{f.today}</dd>
        </div>
        <div>
          <dt>{t('automation.log.week')}</dt>
          <dd>{f.week}</dd>
        </div>
        <div>
          <dt>{t('automation.log.paidAfter')}</dt>
          <dd>{f.paidAfter}</dd>
        </div>
        <div>
          <dt>{t('automation.log.recovered')}</dt>
          <dd>{yuan(f.recoveredCents)}</dd>
        </div>
      </dl>
      {log.entries.length === 0 ? (
        <p className="muted">{t('automation.log.empty')}</p>
      ) : (
        <table className="automation-table">
          <thead>
            <tr>
              <th scope="col">{t('automation.log.at')}</th>
              <th scope="col">{t('automation.pending.buyer')}</th>
              <th scope="col">{t('automation.log.kind')}</th>
              <th scope="col">{t('automation.pending.amount')}</th>
              <th scope="col">{t('automation.log.outcome')}</th>
            </tr>
          </thead>
          <tbody>
            {log.entries.map((e) => (
              <tr key={e.id}>
                <td>{when(e.at)}</td>
                <td>{e.customerNick}</td>
                <td>{t(`automation.kind.${e.kind}`)}</td>
                <td className="num">{yuan(e.amountCents)}</td>
                <td>
                  {e.outcome === 'sent'
                    ? t('automation.log.sent')
                    : t('automation.log.skipped', {
                        reason: t(e.reason === 'quiet_hours' ? 'automation.reason.quiet_hours' : 'automation.reason.late'),
                      })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
