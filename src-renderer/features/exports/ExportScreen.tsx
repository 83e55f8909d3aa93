import { useEffect, useMemo, useState } from 'react';
import type { ExportDirection, ExportFiltersInput, ExportFormat, ExportPreview } from '../../../shared/contract/exports';
import type { Agent, CustomerGroup, Tag } from '../../../shared/domain/types';
import { errorText, formatDuration } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';
import { askToNotify } from './desktopNotification';
import { useExportJobs } from './useExportJobs';
import { useRevealExport } from './useRevealExport';

const FORMATS: ExportFormat[] = ['csv', 'xlsx', 'jsonl', 'html', 'html-zip'];
const DIRECTIONS: ExportDirection[] = ['buyer', 'agent', 'system'];

const dayOf = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

const toggle = <T,>(list: T[], item: T): T[] => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);

/**
 * Chat-log export for owners and supervisors: filters with a live count, the format, where the file
 * goes, then a job that runs in its own thread with progress, cancel, and the recent exports.
 */
export function ExportScreen() {
  const { t, lang } = useT();
  const client = useClient();
  const [from, setFrom] = useState(() => dayOf(Date.now() - 6 * 86_400_000));
  const [to, setTo] = useState(() => dayOf(Date.now()));
  const [agents, setAgents] = useState<string[]>([]);
  const [tags, setTags] = useState<string[]>([]);
  const [groups, setGroups] = useState<string[]>([]);
  const [directions, setDirections] = useState<ExportDirection[]>([]);
  const [customers, setCustomers] = useState('');
  const [keyword, setKeyword] = useState('');
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [destination, setDestination] = useState('');
  const [preview, setPreview] = useState<ExportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [options, setOptions] = useState<{ agents: Agent[]; tags: Tag[]; groups: CustomerGroup[] }>({ agents: [], tags: [], groups: [] });
  const { jobs, progress } = useExportJobs();
  const { reveal, revealed } = useRevealExport();

  useEffect(() => {
    void Promise.all([client.call('agents.list', {}), client.call('tags.list', {}), client.call('groups.list', {})]).then(([a, tg, g]) =>
      setOptions({ agents: a.ok ? a.value : [], tags: tg.ok ? tg.value : [], groups: g.ok ? g.value : [] }),
    );
  }, [client]);

  const filters = useMemo<ExportFiltersInput>(
    () => ({
      from,
      to,
      agents,
      tags,
      groups,
      directions,
      customers: customers
        .split(/[,，\n]/)
        .map((s) => s.trim())
        .filter(Boolean),
      ...(keyword.trim() ? { keyword: keyword.trim() } : {}),
    }),
    [from, to, agents, tags, groups, directions, customers, keyword],
  );

  // The count follows the filters (a short pause so typing does not ask on every key).
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      void client.call('exports.preview', filters).then((r) => {
        if (!live) return;
        if (r.ok) {
          setPreview(r.value);
          setError(null);
        } else {
          setPreview(null);
          setError(errorText(t, r.error));
        }
      });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, filters, t]);

  const start = async () => {
    askToNotify(); // a long export may end while the window is behind others
    const r = await client.call('exports.start', {
      filters,
      format,
      locale: lang,
      ...(destination.trim() ? { destination: { path: destination.trim(), overwrite: true } } : {}),
    });
    if (!r.ok) setError(errorText(t, r.error));
  };

  const running = jobs.filter((j) => j.status === 'running');
  return (
    <div className="export-screen">
      <section className="export-form" aria-label={t('exports.filters')}>
        <h2>{t('exports.title')}</h2>
        <div className="export-grid">
          <label>
            {t('exports.from')}
            <input type="date" aria-label={t('exports.from')} value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            {t('exports.to')}
            <input type="date" aria-label={t('exports.to')} value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <label>
            {t('exports.customers')}
            <input type="text" aria-label={t('exports.customers')} placeholder={t('exports.customersHint')} value={customers} onChange={(e) => setCustomers(e.target.value)} />
          </label>
          <label>
            {t('exports.keyword')}
            <input type="text" aria-label={t('exports.keyword')} placeholder={t('exports.keywordHint')} value={keyword} onChange={(e) => setKeyword(e.target.value)} />
          </label>
        </div>
        <fieldset>
          <legend>{t('exports.agents')}</legend>
          {options.agents.map((a) => (
            <label key={a.id} className="check">
              <input type="checkbox" checked={agents.includes(a.id)} onChange={() => setAgents(toggle(agents, a.id))} />
              {a.nick}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('exports.directions')}</legend>
          {DIRECTIONS.map((d) => (
            <label key={d} className="check">
              <input type="checkbox" checked={directions.includes(d)} onChange={() => setDirections(toggle(directions, d))} />
              {t(`sender.${d}`)}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('exports.tags')}</legend>
          {options.tags.map((tag) => (
            <label key={tag.id} className="check">
              <input type="checkbox" checked={tags.includes(tag.id)} onChange={() => setTags(toggle(tags, tag.id))} />
              {tag.name}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('exports.groups')}</legend>
          {options.groups.map((g) => (
            <label key={g.id} className="check">
              <input type="checkbox" checked={groups.includes(g.id)} onChange={() => setGroups(toggle(groups, g.id))} />
              {g.name}
            </label>
          ))}
        </fieldset>
        <p className="export-count" role="status" aria-live="polite">
          {preview ? t('exports.count', { messages: preview.messages.toLocaleString(lang), conversations: preview.conversations.toLocaleString(lang), tz: preview.timeZone }) : t('exports.counting')}
        </p>
        <fieldset>
          <legend>{t('exports.format')}</legend>
          {FORMATS.map((f) => (
            <label key={f} className="check">
              <input type="radio" name="export-format" checked={format === f} onChange={() => setFormat(f)} />
              {t(`exports.format.${f}`)}
            </label>
          ))}
        </fieldset>
        <label className="destination">
          {t('exports.destination')}
          <input type="text" aria-label={t('exports.destination')} placeholder={t('exports.destinationHint')} value={destination} onChange={(e) => setDestination(e.target.value)} />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="button" className="primary" disabled={!preview || preview.messages === 0 || running.length >= 2} onClick={() => void start()}>
          {t('exports.start')}
        </button>
      </section>
      <section className="export-jobs" aria-label={t('exports.jobs')}>
        <h2>{t('exports.jobs')}</h2>
        {revealed && (
          <p role="status" className="muted">
            {revealed}
          </p>
        )}
        {jobs.length === 0 && <p className="muted">{t('exports.none')}</p>}
        <ul>
          {jobs.map((job) => {
            const p = progress[job.id];
            const done = p?.done ?? job.done;
            const total = p?.total ?? job.total;
            return (
              <li key={job.id} className={`export-job ${job.status}`} aria-label={job.path.split(/[\\/]/).pop()}>
                <div className="job-top">
                  <span className="job-name">{job.path.split(/[\\/]/).pop()}</span>
                  <span className="muted">{t(`exports.status.${job.status}`)}</span>
                </div>
                {job.status === 'running' ? (
                  <>
                    <progress value={done} max={Math.max(total, 1)} aria-label={t('exports.progress')} />
                    <div className="muted job-meta">
                      {t('exports.progressText', {
                        done: done.toLocaleString(lang),
                        total: total.toLocaleString(lang),
                        rate: Math.round(p?.rate ?? 0).toLocaleString(lang),
                        eta: p?.etaMs == null ? '—' : formatDuration(t, p.etaMs),
                      })}
                      <button type="button" className="link danger" onClick={() => void client.call('exports.cancel', { jobId: job.id })}>
                        {t('exports.cancel')}
                      </button>
                    </div>
                  </>
                ) : (
                  <div className="muted job-meta">
                    {t('exports.jobDone', { rows: job.done.toLocaleString(lang), size: job.bytes === null ? '—' : `${(job.bytes / 1024).toFixed(0)} KB`, when: new Date(job.finishedAt ?? job.startedAt).toLocaleString(lang, { hour12: false }) })}
                    <div className="job-path" title={job.path}>
                      {job.path}
                    </div>
                    {job.error && <div className="error">{job.error}</div>}
                    {job.status === 'done' && (
                      <button type="button" className="link" onClick={() => void reveal(job.id)}>
                        {t('exports.openFolder')}
                      </button>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      </section>
    </div>
  );
}
