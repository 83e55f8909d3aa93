import { useEffect, useMemo, useState } from 'react';
import type { ContractError } from '../../../shared/contract/errors';
import type { ExportDirection, ExportFiltersInput, ExportFormat, ExportPreview } from '../../../shared/contract/logExport';
import type { Translate } from '../../../shared/i18n';
import { recentDays } from '../../../shared/domain/days';
import type { Agent, CustomerGroup, Tag } from '../../../shared/domain/types';
import { useAppInfo } from '../../hooks/useAppInfo';
import { errorText, formatDuration } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';
import type { ExportForm } from '../../state/logExportSlice';
import { useDeskStore } from '../../state/store';
import { askToNotify } from '../../hooks/desktopNotification';
import { useDownloadExport } from './useDownloadExport';
import { useExportJobs } from './useExportJobs';
import { useRevealExport } from './useRevealExport';

const FORMATS: ExportFormat[] = ['csv', 'xlsx', 'jsonl', 'html', 'html-zip'];
const DIRECTIONS: ExportDirection[] = ['buyer', 'agent', 'system'];

/** The default: the last seven days, today included, as the shop's clock reads them (not this computer's). */
export function defaultExportForm(nowMs: number, timeZone: string): ExportForm {
  return { ...recentDays(nowMs, timeZone, 7), agents: [], tags: [], groups: [], directions: [], customers: '', keyword: '', format: 'csv' };
}

/** A team desk's export runs on the hub: out of its reach, the sentence says that (the core marks it `needsHub`). */
function exportErrorText(t: Translate, error: ContractError): string {
  const needsHub = error.code === 'unavailable' && (error.details as { needsHub?: unknown } | undefined)?.needsHub === true;
  return needsHub ? t('exports.needsHub') : errorText(t, error);
}

const toggle = <T,>(list: T[], item: T): T[] => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);

/**
 * Chat-log export for owners and supervisors: filters with a live count, the format, then a job that
 * runs in its own thread with progress, cancel, and the recent exports. The form lives in the store
 * (it survives leaving the screen); the file's place is the shell's business, never a text field.
 */
export function ExportScreen() {
  const { info } = useAppInfo();
  const stored = useDeskStore((s) => s.exportForm);
  const setExportForm = useDeskStore((s) => s.setExportForm);
  const timeZone = info?.timeZone;
  useEffect(() => {
    if (!stored && timeZone) setExportForm(defaultExportForm(Date.now(), timeZone));
  }, [stored, timeZone, setExportForm]);
  if (!stored) return null;
  return <ExportForm form={stored} />;
}

function ExportForm({ form }: { form: ExportForm }) {
  const { t, lang } = useT();
  const client = useClient();
  const update = useDeskStore((s) => s.updateExportForm);
  const { from, to, agents, tags, groups, directions, customers, keyword, format } = form;
  const [preview, setPreview] = useState<ExportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [options, setOptions] = useState<{ agents: Agent[]; tags: Tag[]; groups: CustomerGroup[] }>({ agents: [], tags: [], groups: [] });
  const { jobs, progress, track } = useExportJobs();
  const { reveal, revealed } = useRevealExport();
  const downloads = useDownloadExport();

  useEffect(() => {
    void Promise.all([client.call('agents.list', {}), client.call('tags.list', {}), client.call('customerGroups.list', {})]).then(
      ([a, tg, g]) => setOptions({ agents: a.ok ? a.value : [], tags: tg.ok ? tg.value : [], groups: g.ok ? g.value : [] }),
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
      void client.call('logExport.preview', filters).then((r) => {
        if (!live) return;
        if (r.ok) {
          setPreview(r.value);
          setError(null);
        } else {
          setPreview(null);
          setError(exportErrorText(t, r.error));
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
    const r = await client.call('logExport.start', { filters, format, locale: lang });
    if (!r.ok) {
      setError(exportErrorText(t, r.error));
      return;
    }
    if (!r.value) return; // the owner closed the save dialog: nothing started
    setError(null);
    const now = Date.now();
    // Shown at once with its cancel button; progress events fill it in.
    track({
      id: r.value.jobId,
      format,
      filters: { ...filters, agents, tags, groups, directions, customers: filters.customers ?? [] },
      timeZone: preview?.timeZone ?? '',
      path: r.value.path,
      status: 'running',
      done: 0,
      total: preview?.messages ?? 0,
      startedAt: now,
      finishedAt: null,
      bytes: null,
    });
  };

  const running = jobs.filter((j) => j.status === 'running');
  return (
    <div className="export-screen">
      <section className="export-form" aria-label={t('exports.filters')}>
        <h2>{t('exports.title')}</h2>
        <div className="export-grid">
          <label>
            {t('exports.from')}
            <input type="date" aria-label={t('exports.from')} value={from} onChange={(e) => update({ from: e.target.value })} />
          </label>
          <label>
            {t('exports.to')}
            <input type="date" aria-label={t('exports.to')} value={to} onChange={(e) => update({ to: e.target.value })} />
          </label>
          <label>
            {t('exports.customers')}
            <input
              type="text"
              aria-label={t('exports.customers')}
              placeholder={t('exports.customersHint')}
              value={customers}
              onChange={(e) => update({ customers: e.target.value })}
            />
          </label>
          <label>
            {t('exports.keyword')}
            <input
              type="text"
              aria-label={t('exports.keyword')}
              placeholder={t('exports.keywordHint')}
              value={keyword}
              onChange={(e) => update({ keyword: e.target.value })}
            />
          </label>
        </div>
        <fieldset>
          <legend>{t('exports.agents')}</legend>
          {options.agents.map((a) => (
            <label key={a.id} className="check">
              <input type="checkbox" checked={agents.includes(a.id)} onChange={() => update({ agents: toggle(agents, a.id) })} />
              {a.nick}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('exports.directions')}</legend>
          {DIRECTIONS.map((d) => (
            <label key={d} className="check">
              <input
                type="checkbox"
                checked={directions.includes(d)}
                onChange={() => update({ directions: toggle<ExportDirection>(directions, d) })}
              />
              {t(`sender.${d}`)}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('exports.tags')}</legend>
          {options.tags.map((tag) => (
            <label key={tag.id} className="check">
              <input type="checkbox" checked={tags.includes(tag.id)} onChange={() => update({ tags: toggle(tags, tag.id) })} />
              {tag.name}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('exports.groups')}</legend>
          {options.groups.map((g) => (
            <label key={g.id} className="check">
              <input type="checkbox" checked={groups.includes(g.id)} onChange={() => update({ groups: toggle(groups, g.id) })} />
              {g.name}
            </label>
          ))}
        </fieldset>
        <p className="export-count" role="status" aria-live="polite">
          {preview
            ? t('exports.count', {
                messages: preview.messages.toLocaleString(lang),
                conversations: preview.conversations.toLocaleString(lang),
                tz: preview.timeZone,
              })
            : t('exports.counting')}
        </p>
        <fieldset>
          <legend>{t('exports.format')}</legend>
          {FORMATS.map((f) => (
            <label key={f} className="check">
              <input type="radio" name="export-format" checked={format === f} onChange={() => update({ format: f })} />
              {t(`exports.format.${f}`)}
            </label>
          ))}
        </fieldset>
        <p className="muted export-where">{downloads.available ? t('exports.whereBrowser') : t('exports.whereDesktop')}</p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button
          type="button"
          className="primary"
          disabled={!preview || preview.messages === 0 || running.length >= 2}
          onClick={() => void start()}
        >
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
        {downloads.failure && (
          <p role="alert" className="error">
            {downloads.failure}
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
                      <button type="button" className="link danger" onClick={() => void client.call('logExport.cancel', { jobId: job.id })}>
                        {t('exports.cancel')}
                      </button>
                    </div>
                  </>
                ) : (
                  <div className="muted job-meta">
                    {t('exports.jobDone', {
                      rows: job.done.toLocaleString(lang),
                      size: job.bytes === null ? '—' : `${(job.bytes / 1024).toFixed(0)} KB`,
                      when: new Date(job.finishedAt ?? job.startedAt).toLocaleString(lang, { hour12: false }),
                    })}
                    <div className="job-path" title={job.path}>
                      {job.path}
                    </div>
                    {job.status === 'interrupted' && <div className="muted">{t('exports.interrupted')}</div>}
                    {job.error && <div className="error">{job.error}</div>}
                    {job.status === 'done' && downloads.available && (
                      <button type="button" className="link" onClick={() => void downloads.download(job.id)}>
                        {t('exports.download')}
                      </button>
                    )}
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
