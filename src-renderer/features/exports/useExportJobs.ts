import { useCallback, useEffect, useState } from 'react';
import type { ExportJob, ExportProgress } from '../../../shared/contract/exports';
import { useClient, useConnection, useCoreEvent } from '../../ipc/ClientContext';

/** Running and recent exports, with live progress (rate, time left); the end of one is ExportNotice's. */
export function useExportJobs() {
  const client = useClient();
  const { epoch } = useConnection();
  const [jobs, setJobs] = useState<ExportJob[]>([]);
  const [progress, setProgress] = useState<Record<string, ExportProgress>>({});

  const reload = useCallback(async () => {
    const result = await client.call('exports.list', {});
    if (result.ok) setJobs(result.value);
  }, [client]);

  useEffect(() => {
    void reload();
  }, [reload, epoch]);

  useCoreEvent('exports.progress', (p) => setProgress((prev) => ({ ...prev, [p.jobId]: p })));
  useCoreEvent('exports.finished', () => void reload());

  return { jobs, progress, reload };
}
