import { useCallback, useState } from 'react';
import { errorText } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';

/** Hands the browser a URL to save (an attachment: the page stays where it is). */
export function saveFromUrl(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}

/**
 * 下载 for a finished export in browser mode: a one-time ticket over the token-guarded socket, then
 * the host's `GET /downloads/<ticket>` (same origin). The desktop app has no such route: its files are
 * where the owner chose, so `available` is false there.
 */
export function useDownloadExport() {
  const client = useClient();
  const { t } = useT();
  const [failure, setFailure] = useState<string | null>(null);
  const download = useCallback(
    async (jobId: string) => {
      const r = await client.call('logExport.download', { jobId });
      if (!r.ok) {
        setFailure(t('exports.downloadFailed', { error: errorText(t, r.error) }));
        return;
      }
      setFailure(null);
      saveFromUrl(`/downloads/${encodeURIComponent(r.value.ticket)}`, r.value.fileName);
    },
    [client, t],
  );
  return { available: client.transport === 'websocket', download, failure };
}
