import { useEffect, useRef, useState } from 'react';
import type { ReportHeatmap, ReportPhrases, ReportQuestions, ReportSummary } from '../../../shared/contract/reports';
import type { ContractError } from '../../../shared/contract/errors';
import { useClient, useConnection, useCoreEvent } from '../../ipc/ClientContext';

export type ReportQuery = { from: string; to: string; granularity?: 'day' | 'week' };

export type ReportData = {
  summary: ReportSummary | null;
  heatmap: ReportHeatmap | null;
  questions: ReportQuestions | null;
  phrases: ReportPhrases | null;
  error: ContractError | null;
  loading: boolean;
};

/** A data change asks again at most this often (a busy shop pokes many times a second). */
export const LIVE_THROTTLE_MS = 3000;
/** A period that holds today is asked again this often even without changes (waits pass 3 minutes as time passes). */
const CLOCK_REFRESH_MS = 30_000;

/**
 * The report of a period, asked of the core (the rollups answer in milliseconds, whatever the
 * history). Live: every data change (the feed's `sync.poked`) asks again, throttled to one request
 * per few seconds, so today's numbers follow new messages within seconds; a reconnect asks again too.
 */
export function useReport(query: ReportQuery, live: boolean): ReportData & { refresh: () => void } {
  const client = useClient();
  const { epoch } = useConnection();
  const [tick, setTick] = useState(0);
  const [data, setData] = useState<ReportData>({
    summary: null,
    heatmap: null,
    questions: null,
    phrases: null,
    error: null,
    loading: true,
  });
  const last = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  const ask = () => {
    if (pending.current) return;
    const wait = Math.max(0, last.current + LIVE_THROTTLE_MS - Date.now());
    pending.current = setTimeout(() => {
      pending.current = null;
      setTick((n) => n + 1);
    }, wait);
  };
  useCoreEvent('sync.poked', () => ask());
  useEffect(() => () => void (pending.current && clearTimeout(pending.current)), []);
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setTick((n) => n + 1), CLOCK_REFRESH_MS);
    return () => clearInterval(timer);
  }, [live]);

  const { from, to, granularity } = query;
  useEffect(() => {
    let current = true;
    last.current = Date.now();
    setData((d) => ({ ...d, loading: true }));
    const period = { from, to, ...(granularity ? { granularity } : {}) };
    void Promise.all([
      client.call('reports.summary', period),
      client.call('reports.heatmap', { from, to }),
      client.call('reports.questions', { from, to, limit: 12 }),
      client.call('reports.phrases', { limit: 8, from, to }),
    ]).then(([summary, heatmap, questions, phrases]) => {
      if (!current) return;
      const error = [summary, heatmap, questions, phrases].find((r) => !r.ok);
      setData((d) => ({
        summary: summary.ok ? summary.value : d.summary,
        heatmap: heatmap.ok ? heatmap.value : d.heatmap,
        questions: questions.ok ? questions.value : d.questions,
        phrases: phrases.ok ? phrases.value : d.phrases,
        error: error && !error.ok ? error.error : null,
        loading: false,
      }));
    });
    return () => {
      current = false;
    };
  }, [client, from, to, granularity, tick, epoch]);

  return { ...data, refresh: () => setTick((n) => n + 1) };
}
