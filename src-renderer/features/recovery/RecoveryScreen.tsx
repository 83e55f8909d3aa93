import { useState } from 'react';
import type { ContractError } from '../../../shared/contract/errors';
import type { BackupInfo, RecoveryStatus } from '../../../shared/contract/recovery';
import { errorText, type Lang, type Translate } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';

type Damaged = Extract<RecoveryStatus, { state: 'damaged' }>;

const SHOWN = 5;

function when(lang: Lang, at: number): string {
  return new Date(at).toLocaleString(lang, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function backupLine(t: Translate, lang: Lang, b: BackupInfo): string {
  return t('recovery.backupRow', { time: when(lang, b.at), size: size(b.bytes), reason: t(`recovery.backupReason.${b.reason}`) });
}

/**
 * What the user sees when the data file was found damaged at start: what happened, where the damaged
 * file was kept, the newest backups, and the two ways on (restore a backup, or start empty).
 */
export function RecoveryScreen({ status, onReady }: { status: Damaged; onReady: () => void }) {
  const { t, lang } = useT();
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ContractError | null>(null);
  const [confirmEmpty, setConfirmEmpty] = useState(false);
  const newest = status.backups[0];

  const choose = async (call: () => ReturnType<typeof client.call<'recovery.startEmpty'>>) => {
    setBusy(true);
    setFailure(null);
    const result = await call();
    if (result.ok) {
      onReady();
      return;
    }
    // Another window may have chosen first: then the store is serving and this one can go on too.
    const now = await client.call('recovery.status', {});
    if (now.ok && now.value.state === 'ready') return onReady();
    setBusy(false);
    setFailure(result.error);
  };
  const restore = (name?: string) => void choose(() => client.call('recovery.restoreBackup', name ? { name } : {}));

  return (
    <main className="recovery" aria-labelledby="recovery-title">
      <h1 id="recovery-title">{t('recovery.title')}</h1>
      <p>{t(`recovery.reason.${status.reason}`)}</p>
      <p>{t('recovery.safe')}</p>
      {status.keptAs ? (
        <p>
          {t('recovery.keptAs')} <code className="recovery-path">{status.keptAs}</code>
        </p>
      ) : (
        <p>{t('recovery.keptUnknown')}</p>
      )}

      <h2>{t('recovery.choose')}</h2>
      <div className="recovery-actions">
        <div className="recovery-choice">
          <button type="button" className="primary" disabled={busy || !newest} onClick={() => restore()}>
            {t('recovery.restoreNewest')}
          </button>
          <span className="muted">
            {newest ? t('recovery.restoreNewestHint', { time: when(lang, newest.at) }) : t('recovery.noBackups')}
          </span>
        </div>
        <div className="recovery-choice">
          {confirmEmpty ? (
            <span role="group" aria-label={t('recovery.confirmEmpty')}>
              <span>{t('recovery.confirmEmpty')} </span>
              <button type="button" disabled={busy} onClick={() => void choose(() => client.call('recovery.startEmpty', {}))}>
                {t('recovery.confirm')}
              </button>{' '}
              <button type="button" className="link" disabled={busy} onClick={() => setConfirmEmpty(false)}>
                {t('recovery.cancel')}
              </button>
            </span>
          ) : (
            <>
              <button type="button" disabled={busy} onClick={() => setConfirmEmpty(true)}>
                {t('recovery.startEmpty')}
              </button>
              <span className="muted">{t('recovery.startEmptyHint')}</span>
            </>
          )}
        </div>
      </div>
      {busy && <p role="status">{t('recovery.working')}</p>}
      {failure && (
        <p role="alert" className="error">
          {t('recovery.failed', { reason: errorText(t, failure) })}
        </p>
      )}

      {status.backups.length > 0 && (
        <section aria-labelledby="recovery-backups">
          <h2 id="recovery-backups">{t('recovery.backups')}</h2>
          <ul className="recovery-backups">
            {status.backups.slice(0, SHOWN).map((b) => (
              <li key={b.name}>
                <span>{backupLine(t, lang, b)}</span>
                <button
                  type="button"
                  className="link"
                  disabled={busy}
                  onClick={() => restore(b.name)}
                  aria-label={`${t('recovery.restoreThis')}: ${backupLine(t, lang, b)}`}
                >
                  {t('recovery.restoreThis')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
