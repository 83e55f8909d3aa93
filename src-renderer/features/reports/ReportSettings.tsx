import { useState } from 'react';
import type { WorkingHours } from '../../../shared/contract/reports';
import { errorText, type MessageKey } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';
import { WEEKDAYS } from './charts/ReportCharts';

const DEFINITIONS: MessageKey[] = [
  'reports.def.received',
  'reports.def.asked',
  'reports.def.converted',
  'reports.def.response',
  'reports.def.auto',
  'reports.def.unanswered',
  'reports.def.sales',
  'reports.def.answerRatio',
  'reports.def.reminders',
];

/** What every number means (shared/domain/reports), shown with the report and printed with it. */
export function ReportDefinitions() {
  const { t } = useT();
  return (
    <section className="reports-card reports-definitions" aria-label={t('reports.definitions')}>
      <h2>{t('reports.definitions')}</h2>
      <ul>
        {DEFINITIONS.map((key) => (
          <li key={key}>{t(key)}</li>
        ))}
      </ul>
    </section>
  );
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const minutesOf = (s: string) => {
  const [h, m] = s.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};
/** Monday first, as a week is read here. */
const ORDER = [1, 2, 3, 4, 5, 6, 0];

/** The shop's working hours for response times: shown, and set (the rollups are then counted again). */
export function WorkingHoursPanel({ workingHours, onSaved }: { workingHours: WorkingHours | null; onSaved: () => void }) {
  const { t } = useT();
  const client = useClient();
  const [editing, setEditing] = useState(false);
  const [days, setDays] = useState<number[]>(workingHours?.days ?? [1, 2, 3, 4, 5]);
  const [start, setStart] = useState(hhmm(workingHours?.start ?? 9 * 60));
  const [end, setEnd] = useState(hhmm(workingHours?.end ?? 18 * 60));
  const [message, setMessage] = useState<string | null>(null);
  const save = async (hours: WorkingHours | null) => {
    const r = await client.call('reports.setWorkingHours', { workingHours: hours });
    if (!r.ok) return setMessage(errorText(t, r.error));
    setMessage(t('reports.workingHoursSaved'));
    setEditing(false);
    onSaved();
  };
  const shown = workingHours
    ? t('reports.workingHoursSet', {
        days: ORDER.filter((d) => workingHours.days.includes(d))
          .map((d) => t(WEEKDAYS[d]!))
          .join(' '),
        start: hhmm(workingHours.start),
        end: hhmm(workingHours.end),
      })
    : t('reports.workingHoursNone');
  return (
    <section className="reports-card reports-hours" aria-label={t('reports.workingHours')}>
      <h2>{t('reports.workingHours')}</h2>
      <p>{shown}</p>
      {!editing ? (
        <button type="button" className="no-print" onClick={() => setEditing(true)}>
          {t('reports.workingHoursEdit')}
        </button>
      ) : (
        <form
          className="no-print"
          onSubmit={(e) => {
            e.preventDefault();
            void save({ days, start: minutesOf(start), end: minutesOf(end) });
          }}
        >
          <fieldset>
            <legend className="sr-only">{t('reports.workingHours')}</legend>
            {ORDER.map((d) => (
              <label key={d} className="day">
                <input
                  type="checkbox"
                  checked={days.includes(d)}
                  onChange={() => setDays((list) => (list.includes(d) ? list.filter((x) => x !== d) : [...list, d]))}
                />
                {t(WEEKDAYS[d]!)}
              </label>
            ))}
          </fieldset>
          <label>
            {t('reports.workingHoursStart')} <input type="time" value={start} onChange={(e) => setStart(e.target.value)} />
          </label>
          <label>
            {t('reports.workingHoursEnd')} <input type="time" value={end} onChange={(e) => setEnd(e.target.value)} />
          </label>
          <button type="submit" className="primary">
            {t('reports.workingHoursSave')}
          </button>
          <button type="button" onClick={() => void save(null)}>
            {t('reports.workingHoursOff')}
          </button>
        </form>
      )}
      {message && (
        <p className="muted small" role="status">
          {message}
        </p>
      )}
    </section>
  );
}
