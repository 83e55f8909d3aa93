import { useCallback, useState } from 'react';
import { errorText } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';

/** "Open folder" for a finished export, and what happened (opened, or where the file is when no file manager exists). */
export function useRevealExport() {
  const client = useClient();
  const { t } = useT();
  const [revealed, setRevealed] = useState<string | null>(null);
  const reveal = useCallback(
    async (jobId: string) => {
      const r = await client.call('logExport.reveal', { jobId });
      if (r.ok)
        setRevealed(
          r.value.opened ? t('exports.revealed', { folder: r.value.folder }) : t('exports.notRevealed', { folder: r.value.folder }),
        );
      else setRevealed(errorText(t, r.error));
    },
    [client, t],
  );
  return { reveal, revealed };
}
