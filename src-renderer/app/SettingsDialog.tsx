import { useEffect, useRef, useState } from 'react';
import { isLang } from '../i18n';
import { useT } from '../i18n/useT';
import { AlertSettings } from '../features/alerts/AlertSettings';
import { useAppInfo } from '../hooks/useAppInfo';
import { useDeskStore, useShallow } from '../state/store';
import { useTeamStatus } from '../features/team/TeamStatusProvider';

/** The agent's own settings: language, send key, when the waiting clock turns amber and red, how buyers' messages are announced, and the team hub. */
export function SettingsDialog({ onClose, onTeam }: { onClose: () => void; onTeam: () => void }) {
  const { t } = useT();
  const { status: team } = useTeamStatus();
  const s = useDeskStore(
    useShallow((st) => ({
      lang: st.lang,
      sendKey: st.sendKey,
      amber: st.waitAmberMinutes,
      red: st.waitRedMinutes,
      setLang: st.setLang,
      setSendKey: st.setSendKey,
      setWaitThresholds: st.setWaitThresholds,
    })),
  );
  const agentId = useAppInfo().info?.agent.id;
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div className="overlay" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-label={t('settings.title')}
        className="sheet settings"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <h2>{t('settings.title')}</h2>
        <label>
          <span>{t('settings.language')}</span>
          <select ref={first} value={s.lang} onChange={(e) => isLang(e.target.value) && s.setLang(e.target.value)}>
            <option value="zh-CN">中文</option>
            <option value="en">English</option>
          </select>
        </label>
        <label>
          <span>{t('composer.sendKeyLabel')}</span>
          <select value={s.sendKey} onChange={(e) => s.setSendKey(e.target.value === 'ctrlEnter' ? 'ctrlEnter' : 'enter')}>
            <option value="enter">Enter</option>
            <option value="ctrlEnter">Ctrl+Enter</option>
          </select>
        </label>
        <label>
          <span>{t('settings.amber')}</span>
          <MinutesInput value={s.amber} min={1} max={120} onCommit={(n) => s.setWaitThresholds(n, Math.max(s.red, n + 1))} />
        </label>
        <label>
          <span>{t('settings.red')}</span>
          <MinutesInput value={s.red} min={2} max={240} onCommit={(n) => s.setWaitThresholds(s.amber, n)} />
        </label>
        {agentId && <AlertSettings agentId={agentId} />}
        <div className="settings-team">
          <span>{t('team.settings.section')}</span>
          <span className="muted settings-team-state">
            {team?.mode === 'team'
              ? t('team.settings.member', { hub: team.hubUrl ?? '', nick: team.account?.nick ?? '' })
              : t('team.settings.standalone')}
          </span>
          <button type="button" onClick={onTeam}>
            {team?.mode === 'team' ? t('team.settings.manage') : t('team.settings.connect')}
          </button>
        </div>
        <button type="button" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </div>
  );
}

/** A minutes field that lets the agent clear and retype; it commits whole numbers and shows the stored value on blur. */
function MinutesInput({ value, min, max, onCommit }: { value: number; min: number; max: number; onCommit: (n: number) => void }) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  return (
    <input
      type="number"
      min={min}
      max={max}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        const n = Number(e.target.value);
        if (e.target.value !== '' && Number.isInteger(n) && n >= min && n <= max) onCommit(n);
      }}
      onBlur={() => setText(String(value))}
    />
  );
}
