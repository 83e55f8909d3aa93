import { useCallback, useEffect, useRef, useState } from 'react';
import type { ExportJob, ExportProgress } from '../../../shared/contract/logExport';
import { useClient, useConnection, useCoreEvent } from '../../ipc/ClientContext';

/** Running and recent exports, with live progress (rate, time left); the end of one is ExportNotice's. */
export function useExportJobs() {
  const client = useClient();
  const { epoch } = useConnection();
  const [jobs, setJobs] = useState<ExportJob[]>([]);
  const [progress, setProgress] = useState<Record<string, ExportProgress>>({});
  const known = useRef(new Set<string>());
  useEffect(() => {
    known.current = new Set(jobs.map((j) => j.id));
  }, [jobs]);

  const reload = useCallback(async () => {
    const result = await client.call('logExport.list', {});
    if (result.ok) setJobs(result.value);
  }, [client]);

  useEffect(() => {
    void reload();
  }, [reload, epoch]);

  /** A job just started here: shown at once (from the start answer), then the list catches up. */
  const track = useCallback(
    (job: ExportJob) => {
      setJobs((prev) => (prev.some((j) => j.id === job.id) ? prev : [job, ...prev]));
      void reload();
    },
    [reload],
  );

  useCoreEvent('logExport.progress', (p) => {
    setProgress((prev) => ({ ...prev, [p.jobId]: p }));
    // Progress of a job this list has not heard of (started in another window, or by the CLI).
    if (!known.current.has(p.jobId)) {
      known.current.add(p.jobId);
      void reload();
    }
  });
  useCoreEvent('logExport.finished', () => void reload());

  return { jobs, progress, reload, track };
}
