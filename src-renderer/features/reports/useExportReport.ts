import { useCallback, useState } from 'react';
import type { ReportFormat } from '../../../shared/contract/reports';
import { errorText } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';
import { saveFromUrl } from '../logExport/useDownloadExport';
import type { ReportQuery } from './useReport';

/**
 * 导出 CSV / Excel: the core writes the table with the chat-log export's writers, where the shell
 * says (the desktop's save dialog) or in the data folder's exports/; in browser mode the file then
 * downloads at once through a one-time ticket, as a finished chat-log export does.
 */
export function useExportReport() {
  const client = useClient();
  const { t, lang } = useT();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const run = useCallback(
    async (query: ReportQuery, format: ReportFormat) => {
      setBusy(true);
      try {
        const r = await client.call('reports.export', { period: query, format, locale: lang });
        if (!r.ok) {
          setFailed(true);
          setMessage(t('reports.exportFailed', { error: errorText(t, r.error) }));
          return;
        }
        if (!r.value) return; // the save dialog was closed
        setFailed(false);
        setMessage(t('reports.exported', { path: r.value.path }));
        if (r.value.download && client.transport === 'websocket') {
          saveFromUrl(`/downloads/${encodeURIComponent(r.value.download.ticket)}`, r.value.fileName);
        }
      } finally {
        setBusy(false);
      }
    },
    [client, t, lang],
  );
  return { run, busy, message, failed };
}
