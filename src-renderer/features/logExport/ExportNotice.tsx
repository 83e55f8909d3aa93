import { useState } from 'react';
import type { ExportFinished } from '../../../shared/contract/logExport';
import { useT } from '../../i18n/useT';
import { useCoreEvent } from '../../ipc/ClientContext';
import { notifyDesktop } from '../../hooks/desktopNotification';
import { useDownloadExport } from './useDownloadExport';
import { useRevealExport } from './useRevealExport';

/**
 * When an export ends, the owner hears of it wherever they are in the app (a banner with "open
 * folder", and in browser mode 下载), and from the operating system when the window is in the background.
 */
export function ExportNotice() {
  const { t, lang } = useT();
  const [finished, setFinished] = useState<ExportFinished | null>(null);
  const { reveal, revealed } = useRevealExport();
  const downloads = useDownloadExport();
  const text = (f: ExportFinished) =>
    t(`exports.finished.${f.status}`, { rows: f.rows.toLocaleString(lang), path: f.path, error: f.error ?? '' });
  useCoreEvent('logExport.finished', (f) => {
    setFinished(f);
    notifyDesktop(t('exports.notifyTitle'), text(f), f.status === 'done' ? () => void reveal(f.jobId) : undefined);
  });
  if (!finished) return null;
  return (
    <div className={`export-finished ${finished.status}`} role="alert">
      <span className="export-finished-text">{text(finished)}</span>
      {finished.status === 'done' && downloads.available && (
        <button type="button" className="link" onClick={() => void downloads.download(finished.jobId)}>
          {t('exports.download')}
        </button>
      )}
      {finished.status === 'done' && (
        <button type="button" className="link" onClick={() => void reveal(finished.jobId)}>
          {t('exports.openFolder')}
        </button>
      )}
      <button type="button" className="link" onClick={() => setFinished(null)}>
        {t('common.close')}
      </button>
      {revealed && (
        <span role="status" className="muted">
          {revealed}
        </span>
      )}
      {downloads.failure && <span className="error">{downloads.failure}</span>}
    </div>
  );
}
