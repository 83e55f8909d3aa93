import { askToNotify } from '../../hooks/desktopNotification';
import { useT } from '../../i18n/useT';
import { ALERT_SOUNDS, type AlertSound } from '../../state/preferencesSlice';
import { useDeskStore, useShallow } from '../../state/store';
import { playAlert } from './sounds';
import { alertPrefsOf } from './useArrivalAlerts';

/** The agent's own alert choice in the settings dialog: the sound (heard when chosen) and desktop notifications. */
export function AlertSettings({ agentId }: { agentId: string }) {
  const { t } = useT();
  const prefs = useDeskStore(useShallow((s) => alertPrefsOf(s.alerts, agentId)));
  const setAlerts = useDeskStore((s) => s.setAlerts);
  const permission = typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
  return (
    <fieldset className="alert-settings">
      <legend>{t('alerts.settings')}</legend>
      <label>
        <span>{t('alerts.sound')}</span>
        <select
          value={prefs.sound}
          onChange={(e) => {
            const sound = ALERT_SOUNDS.find((s) => s === e.target.value) as AlertSound | undefined;
            if (!sound) return;
            setAlerts(agentId, { sound });
            playAlert(sound, 'newMessage');
          }}
        >
          {ALERT_SOUNDS.map((s) => (
            <option key={s} value={s}>
              {t(`alerts.sound.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={prefs.notify}
          onChange={(e) => {
            setAlerts(agentId, { notify: e.target.checked });
            if (e.target.checked) askToNotify();
          }}
        />
        <span>{t('alerts.notify')}</span>
      </label>
      {prefs.notify && permission === 'denied' && <p className="hint">{t('alerts.notifyDenied')}</p>}
      {permission === 'unsupported' && <p className="hint">{t('alerts.notifyUnsupported')}</p>}
    </fieldset>
  );
}
