import { useState } from 'react';
import { may } from '../../../shared/domain/policy';
import { useAppInfo } from '../../hooks/useAppInfo';
import { useT } from '../../i18n/useT';
import { AutomationSettingsForm } from './AutomationSettingsForm';
import { PendingQueue } from './PendingQueue';
import { ReminderLogView } from './ReminderLogView';

type Tab = 'pending' | 'replies' | 'reminders' | 'log';

/**
 * 催付 (issue 16): the 待付款 queue for everyone; for supervisors and the owner (policy
 * `keepAutomation`) also the auto-replies, the 催付 rules and the reminder log. ←/→ move between tabs.
 */
export function AutomationScreen() {
  const { t } = useT();
  const { info } = useAppInfo();
  const lead = may(info?.agent.role, 'keepAutomation');
  const tabs: Tab[] = lead ? ['pending', 'replies', 'reminders', 'log'] : ['pending'];
  const [tab, setTab] = useState<Tab>('pending');
  const current = tabs.includes(tab) ? tab : 'pending';
  return (
    <div className="automation-screen">
      <h2>{t('automation.title')}</h2>
      <div
        role="tablist"
        aria-label={t('automation.title')}
        className="automation-tabs"
        onKeyDown={(e) => {
          if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
          const i = tabs.indexOf(current) + (e.key === 'ArrowRight' ? 1 : -1);
          const next = tabs[(i + tabs.length) % tabs.length]!;
          setTab(next);
          (e.currentTarget.querySelector(`[data-tab="${next}"]`) as HTMLElement | null)?.focus();
        }}
      >
        {tabs.map((x) => (
          <button
            key={x}
            type="button"
            role="tab"
            data-tab={x}
            aria-selected={current === x}
            tabIndex={current === x ? 0 : -1}
            onClick={() => setTab(x)}
          >
            {t(`automation.tab.${x}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" className="automation-panel">
        {current === 'pending' ? (
          <PendingQueue />
        ) : current === 'log' ? (
          <ReminderLogView />
        ) : (
          <AutomationSettingsForm key={current} section={current} />
        )}
      </div>
    </div>
  );
}
