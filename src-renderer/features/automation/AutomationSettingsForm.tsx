import { useCallback, useEffect, useState } from 'react';
import type { AutomationConfig } from '../../../shared/contract/automation';
import type { ContractError } from '../../../shared/contract/errors';
import { REMINDER_VARIABLES, type AutomationRule, type AutomationSettings } from '../../../shared/domain/automation/settings';
import { newId } from '../../../shared/domain/ids';
import type { PickerPhrase } from '../../../shared/domain/types';
import { errorText } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';
import { PhraseImageThumb } from '../phrases/PhraseImageThumb';
import { ruleFor, splitTriggers } from './ruleTester';

/** "10, 15，20" → [10, 15, 20]: whole hours 0–23, each once, in order; null when any is not one. */
export function hoursOf(text: string): number[] | null {
  const parts = text.split(/[,，、\s]+/).filter(Boolean);
  if (parts.length === 0 || parts.length > 24) return null;
  const hours = parts.map((p) => (/^\d{1,2}$/.test(p) ? Number(p) : NaN));
  if (hours.some((h) => !Number.isInteger(h) || h < 0 || h > 23)) return null;
  return [...new Set(hours)].sort((a, b) => a - b);
}

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const minutesOf = (s: string) => {
  const [h, m] = s.split(':').map(Number);
  return Number.isFinite(h) && Number.isFinite(m) ? h! * 60 + m! : 0;
};

/**
 * The supervisor's automation settings: `replies` (welcome, keyword rules tested live against a typed
 * sample, away reply) or `reminders` (催付 rules and template). One save for both; a text holding a
 * red-line word is refused by the core and can be saved anyway after the lead confirms.
 */
export function AutomationSettingsForm({ section }: { section: 'replies' | 'reminders' }) {
  const { t } = useT();
  const client = useClient();
  const [config, setConfig] = useState<AutomationConfig | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [redLines, setRedLines] = useState<string[] | null>(null);
  const [sample, setSample] = useState('');
  // The team's phrases a keyword rule may answer with (its reply is then the phrase as it is when sent).
  const [teamPhrases, setTeamPhrases] = useState<PickerPhrase[]>([]);
  useEffect(() => {
    void client.call('phrases.forPicker', {}).then((r) => r.ok && setTeamPhrases(r.value.phrases.filter((p) => p.scope === 'team')));
  }, [client]);
  // The chosen hours as typed (kept while a typo makes them invalid; the settings keep the last valid list).
  const [hoursText, setHoursText] = useState('');

  useEffect(() => {
    void client.call('automation.get', {}).then((r) => {
      if (!r.ok) return setStatus(errorText(t, r.error));
      setConfig(r.value);
      const timing = r.value.settings.reminders.timing;
      if (timing.kind === 'at_hours') setHoursText(timing.hours.join(', '));
    });
  }, [client, t]);

  const set = useCallback(
    (fn: (s: AutomationSettings) => AutomationSettings) => setConfig((c) => c && { ...c, settings: fn(c.settings) }),
    [],
  );
  const setRule = (id: string, patch: Partial<AutomationRule>) =>
    setConfig((c) => c && { ...c, rules: c.rules.map((r) => (r.id === id ? { ...r, ...patch } : r)) });

  if (!config) return <p className="muted">{status ?? t('automation.loading')}</p>;
  const s = config.settings;
  const r = s.reminders;

  const save = async (confirmRedLines: boolean) => {
    const rules = config.rules.filter((rule) => rule.triggers.length > 0);
    const res = await client.call('automation.save', { settings: s, rules, ...(confirmRedLines ? { confirmRedLines } : {}) });
    if (res.ok) {
      setConfig(res.value);
      setRedLines(null);
      setStatus(t('automation.saved'));
    } else {
      const words = (res.error as ContractError & { details?: { redLines?: unknown } }).details?.redLines;
      if (res.error.code === 'conflict' && Array.isArray(words)) {
        setRedLines(words as string[]);
        setStatus(null);
      } else setStatus(errorText(t, res.error));
    }
  };

  const matched = section === 'replies' ? ruleFor(config.rules, sample) : null;
  const matchedImage = matched?.phraseId ? teamPhrases.find((p) => p.id === matched.phraseId)?.image : undefined;

  return (
    <form
      className="automation-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save(false);
      }}
    >
      {section === 'replies' ? (
        <>
          <fieldset>
            <legend>{t('automation.welcome.title')}</legend>
            <label className="check">
              <input
                type="checkbox"
                checked={s.welcome.enabled}
                onChange={(e) => set((x) => ({ ...x, welcome: { ...x.welcome, enabled: e.target.checked } }))}
              />
              {t('automation.on')}
            </label>
            <textarea
              aria-label={t('automation.welcome.text')}
              value={s.welcome.text}
              maxLength={1000}
              rows={2}
              onChange={(e) => set((x) => ({ ...x, welcome: { ...x.welcome, text: e.target.value } }))}
            />
            <label>
              {t('automation.window')}
              <input
                type="number"
                min={1}
                max={1440}
                value={s.windowMinutes}
                onChange={(e) => set((x) => ({ ...x, windowMinutes: Math.max(1, Number(e.target.value) || 30) }))}
              />
            </label>
          </fieldset>

          <fieldset>
            <legend>{t('automation.rules.title')}</legend>
            <ul className="automation-rules">
              {config.rules.map((rule, i) => (
                <li
                  key={rule.id}
                  className={matched?.id === rule.id ? 'rule-matched' : undefined}
                  aria-label={t('automation.rules.rule', { n: i + 1 })}
                >
                  <label className="check">
                    <input type="checkbox" checked={rule.enabled} onChange={(e) => setRule(rule.id, { enabled: e.target.checked })} />
                    {t('automation.on')}
                  </label>
                  <input
                    aria-label={t('automation.rules.triggers')}
                    placeholder={t('automation.rules.triggersHint')}
                    defaultValue={rule.triggers.join('，')}
                    onChange={(e) => setRule(rule.id, { triggers: splitTriggers(e.target.value) })}
                  />
                  <select
                    aria-label={t('automation.rules.mode')}
                    value={rule.mode}
                    onChange={(e) => setRule(rule.id, { mode: e.target.value as AutomationRule['mode'] })}
                  >
                    {(['contains', 'exact', 'starts_with'] as const).map((m) => (
                      <option key={m} value={m}>
                        {t(`automation.mode.${m}`)}
                      </option>
                    ))}
                  </select>
                  <label className="priority">
                    {t('automation.rules.priority')}
                    <input
                      type="number"
                      min={-1000}
                      max={1000}
                      value={rule.priority}
                      onChange={(e) => setRule(rule.id, { priority: Math.trunc(Number(e.target.value) || 0) })}
                    />
                  </label>
                  <select
                    aria-label={t('automation.rules.phrase')}
                    value={rule.phraseId ?? ''}
                    onChange={(e) => {
                      const phrase = teamPhrases.find((p) => p.id === e.target.value);
                      setRule(rule.id, phrase ? { phraseId: phrase.id, reply: phrase.content } : { phraseId: null });
                    }}
                  >
                    <option value="">{t('automation.rules.ownReply')}</option>
                    {teamPhrases.map((p) => (
                      <option key={p.id} value={p.id}>
                        {(p.title || p.content).slice(0, 30)}
                        {p.image ? ` ${t('automation.rules.withImage')}` : ''}
                      </option>
                    ))}
                  </select>
                  <textarea
                    aria-label={t('automation.rules.reply')}
                    value={rule.reply}
                    maxLength={1000}
                    rows={2}
                    readOnly={rule.phraseId !== null}
                    title={rule.phraseId !== null ? t('automation.rules.phraseReply') : undefined}
                    onChange={(e) => setRule(rule.id, { reply: e.target.value })}
                  />
                  {(() => {
                    // A phrase with a picture answers with the picture too (where the buyer's channel takes pictures).
                    const image = rule.phraseId ? teamPhrases.find((p) => p.id === rule.phraseId)?.image : undefined;
                    return image && rule.phraseId ? (
                      <div className="rule-image" role="group" aria-label={t('automation.rules.image')}>
                        <PhraseImageThumb phraseId={rule.phraseId} image={image} />
                        <span className="muted small">{t('automation.rules.imageHint')}</span>
                      </div>
                    ) : null;
                  })()}
                  <button
                    type="button"
                    className="link"
                    onClick={() => setConfig((c) => c && { ...c, rules: c.rules.filter((x) => x.id !== rule.id) })}
                  >
                    {t('automation.rules.remove')}
                  </button>
                </li>
              ))}
            </ul>
            <button
              type="button"
              onClick={() =>
                setConfig(
                  (c) =>
                    c && {
                      ...c,
                      rules: [
                        ...c.rules,
                        { id: newId(), enabled: true, priority: 0, mode: 'contains', triggers: [], reply: '', phraseId: null },
                      ],
                    },
                )
              }
            >
              {t('automation.rules.add')}
            </button>
            <div className="rule-tester">
              <label>
                {t('automation.test.sample')}
                <input value={sample} onChange={(e) => setSample(e.target.value)} placeholder={t('automation.test.placeholder')} />
              </label>
              <p role="status" className="muted">
                {!sample.trim()
                  ? t('automation.test.hint')
                  : matched
                    ? t(matchedImage ? 'automation.test.answersWithImage' : 'automation.test.answers', { reply: matched.reply })
                    : t('automation.test.none')}
              </p>
            </div>
          </fieldset>

          <fieldset>
            <legend>{t('automation.away.title')}</legend>
            <label className="check">
              <input
                type="checkbox"
                checked={s.away.enabled}
                onChange={(e) => set((x) => ({ ...x, away: { ...x.away, enabled: e.target.checked } }))}
              />
              {t('automation.on')}
            </label>
            <p className="muted">{t('automation.away.hint')}</p>
            <textarea
              aria-label={t('automation.away.text')}
              value={s.away.text}
              maxLength={1000}
              rows={2}
              onChange={(e) => set((x) => ({ ...x, away: { ...x.away, text: e.target.value } }))}
            />
            <label>
              {t('automation.away.expected')}
              <input
                value={s.away.expectedAnswer}
                maxLength={50}
                onChange={(e) => set((x) => ({ ...x, away: { ...x.away, expectedAnswer: e.target.value } }))}
              />
            </label>
          </fieldset>
        </>
      ) : (
        <fieldset>
          <legend>{t('automation.reminders.title')}</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={r.enabled}
              onChange={(e) => set((x) => ({ ...x, reminders: { ...x.reminders, enabled: e.target.checked } }))}
            />
            {t('automation.reminders.enabled')}
          </label>
          <div role="radiogroup" aria-label={t('automation.reminders.timing')} className="automation-timing">
            <label className="check">
              <input
                type="radio"
                name="reminder-timing"
                checked={r.timing.kind === 'after'}
                onChange={() => set((x) => ({ ...x, reminders: { ...x.reminders, timing: { kind: 'after', minutes: 10 } } }))}
              />
              {t('automation.reminders.timingAfter')}
            </label>
            <label className="check">
              <input
                type="radio"
                name="reminder-timing"
                checked={r.timing.kind === 'at_hours'}
                onChange={() => {
                  setHoursText('10, 15, 20');
                  set((x) => ({ ...x, reminders: { ...x.reminders, timing: { kind: 'at_hours', hours: [10, 15, 20] } } }));
                }}
              />
              {t('automation.reminders.timingHours')}
            </label>
          </div>
          {r.timing.kind === 'after' ? (
            <label>
              {t('automation.reminders.after')}
              <input
                type="number"
                min={1}
                max={1440}
                aria-label={t('automation.reminders.after')}
                value={r.timing.minutes}
                onChange={(e) =>
                  set((x) => ({
                    ...x,
                    reminders: { ...x.reminders, timing: { kind: 'after', minutes: Math.max(1, Number(e.target.value) || 10) } },
                  }))
                }
              />
            </label>
          ) : (
            <label>
              {t('automation.reminders.hours')}
              <input
                type="text"
                inputMode="numeric"
                aria-label={t('automation.reminders.hours')}
                aria-invalid={hoursOf(hoursText) === null}
                value={hoursText}
                onChange={(e) => {
                  setHoursText(e.target.value);
                  const hours = hoursOf(e.target.value);
                  if (hours) set((x) => ({ ...x, reminders: { ...x.reminders, timing: { kind: 'at_hours', hours } } }));
                }}
              />
              {hoursOf(hoursText) === null && (
                <span className="error" role="alert">
                  {t('automation.reminders.hoursInvalid')}
                </span>
              )}
            </label>
          )}
          <label>
            {t('automation.reminders.preClose')}
            <input
              type="number"
              min={0}
              max={10080}
              value={r.preCloseMinutes ?? ''}
              onChange={(e) =>
                set((x) => ({
                  ...x,
                  reminders: { ...x.reminders, preCloseMinutes: e.target.value === '' ? null : Math.max(0, Number(e.target.value) || 0) },
                }))
              }
            />
          </label>
          <label>
            {t('automation.reminders.closeAfter')}
            <input
              type="number"
              min={1}
              max={720}
              value={Math.round(r.closeAfterMinutes / 60)}
              onChange={(e) =>
                set((x) => ({ ...x, reminders: { ...x.reminders, closeAfterMinutes: Math.max(1, Number(e.target.value) || 72) * 60 } }))
              }
            />
          </label>
          <label>
            {t('automation.reminders.flash')}
            <input
              type="number"
              min={5}
              max={43200}
              value={r.flashCloseAfterMinutes}
              onChange={(e) =>
                set((x) => ({ ...x, reminders: { ...x.reminders, flashCloseAfterMinutes: Math.max(5, Number(e.target.value) || 30) } }))
              }
            />
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={r.quietHours !== null}
              onChange={(e) =>
                set((x) => ({
                  ...x,
                  reminders: {
                    ...x.reminders,
                    quietHours: e.target.checked ? { start: 22 * 60, end: 8 * 60, mode: 'send_at_opening' } : null,
                  },
                }))
              }
            />
            {t('automation.reminders.quiet')}
          </label>
          {r.quietHours && (
            <div className="quiet-hours">
              <input
                type="time"
                aria-label={t('automation.reminders.quietStart')}
                value={hhmm(r.quietHours.start)}
                onChange={(e) =>
                  set((x) => ({
                    ...x,
                    reminders: { ...x.reminders, quietHours: { ...x.reminders.quietHours!, start: minutesOf(e.target.value) } },
                  }))
                }
              />
              <input
                type="time"
                aria-label={t('automation.reminders.quietEnd')}
                value={hhmm(r.quietHours.end)}
                onChange={(e) =>
                  set((x) => ({
                    ...x,
                    reminders: { ...x.reminders, quietHours: { ...x.reminders.quietHours!, end: minutesOf(e.target.value) } },
                  }))
                }
              />
              <select
                aria-label={t('automation.reminders.quietMode')}
                value={r.quietHours.mode}
                onChange={(e) =>
                  set((x) => ({
                    ...x,
                    reminders: {
                      ...x.reminders,
                      quietHours: { ...x.reminders.quietHours!, mode: e.target.value as 'skip' | 'send_at_opening' },
                    },
                  }))
                }
              >
                <option value="send_at_opening">{t('automation.quiet.send_at_opening')}</option>
                <option value="skip">{t('automation.quiet.skip')}</option>
              </select>
            </div>
          )}
          <label className="template">
            {t('automation.reminders.template')}
            <textarea
              value={r.template}
              maxLength={500}
              rows={3}
              onChange={(e) => set((x) => ({ ...x, reminders: { ...x.reminders, template: e.target.value } }))}
            />
          </label>
          <p className="muted">{t('automation.reminders.variables', { list: REMINDER_VARIABLES.join(' ') })}</p>
        </fieldset>
      )}
      {redLines && (
        <div role="alert" className="automation-redlines">
          {t('automation.redLines', { words: redLines.join('、') })}
          <button type="button" onClick={() => void save(true)}>
            {t('automation.saveAnyway')}
          </button>
        </div>
      )}
      <div className="automation-actions">
        <button type="submit" className="primary">
          {t('automation.save')}
        </button>
        {status && <span role="status">{status}</span>}
      </div>
    </form>
  );
}
