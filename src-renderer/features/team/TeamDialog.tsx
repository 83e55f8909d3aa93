import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ContractError } from '../../../shared/contract/errors';
import type { TeamStatus } from '../../../shared/contract/team';
import { formatCount } from '../../../shared/i18n';
import { formatClock } from '../../i18n';
import { useClient } from '../../ipc/ClientContext';
import { useT } from '../../i18n/useT';
import { teamErrorText, teamSettled } from './teamText';
import { useTeamStatus } from './TeamStatusProvider';

/**
 * 连接团队中心: the sign-in form on a standalone desk (hub address, account, password; Enter
 * submits), the same form to sign in again when the hub ended the session, and, on a member desk,
 * its status and leaving. After a sign-in it shows the first download's progress and closes once
 * the shop is here.
 */
export function TeamDialog({ onClose }: { onClose: () => void }) {
  const { t } = useT();
  const { status } = useTeamStatus();
  const [joining, setJoining] = useState(false);
  useEffect(() => {
    if (joining && teamSettled(status)) onClose();
  }, [joining, status, onClose]);

  const signIn = !status || status.mode === 'standalone' || status.link === 'signed-out';
  const title =
    status?.mode === 'team'
      ? status.link === 'signed-out'
        ? t('team.signInAgain.title')
        : t('team.status.title')
      : t('team.connect.title');
  return (
    <div className="overlay" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-label={joining ? t('team.connect.title') : title}
        className="sheet team-dialog"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <h2>{joining ? t('team.connect.title') : title}</h2>
        {joining ? (
          <Progress status={status} />
        ) : signIn ? (
          <SignInForm status={status} onSignedIn={() => setJoining(true)} onCancel={onClose} />
        ) : (
          <MemberPanel status={status!} onClose={onClose} />
        )}
      </div>
    </div>
  );
}

function SignInForm({ status, onSignedIn, onCancel }: { status: TeamStatus | null; onSignedIn: () => void; onCancel: () => void }) {
  const { t } = useT();
  const client = useClient();
  const { setStatus } = useTeamStatus();
  const again = status?.mode === 'team';
  const [hubUrl, setHubUrl] = useState(status?.hubUrl ?? '');
  const [account, setAccount] = useState(status?.account?.nick ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ContractError | null>(null);
  const first = useRef<HTMLInputElement>(null);
  const secret = useRef<HTMLInputElement>(null);
  useEffect(() => (again ? secret.current : first.current)?.focus(), [again]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const r = await client.call('team.connect', { hubUrl: hubUrl.trim(), account: account.trim(), password });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      setPassword('');
      secret.current?.focus();
      return;
    }
    setStatus(r.value);
    onSignedIn();
  };

  return (
    <form className="team-form" onSubmit={(e) => void submit(e)} aria-busy={busy}>
      <p className="muted">{again ? t('team.signInAgain.intro', { n: formatCount(status?.pending ?? 0) }) : t('team.connect.intro')}</p>
      <label>
        <span>{t('team.field.hubUrl')}</span>
        <input
          ref={first}
          type="text"
          inputMode="url"
          autoComplete="url"
          spellCheck={false}
          placeholder="http://192.168.1.10:5190"
          value={hubUrl}
          readOnly={again}
          required
          maxLength={2048}
          onChange={(e) => setHubUrl(e.target.value)}
        />
      </label>
      <label>
        <span>{t('team.field.account')}</span>
        <input
          type="text"
          autoComplete="username"
          spellCheck={false}
          value={account}
          required
          maxLength={64}
          onChange={(e) => setAccount(e.target.value)}
        />
      </label>
      <label>
        <span>{t('team.field.password')}</span>
        <input
          ref={secret}
          type="password"
          autoComplete="current-password"
          value={password}
          required
          maxLength={1024}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {error && (
        <p role="alert" className="error">
          {teamErrorText(t, error)}
        </p>
      )}
      {busy && (
        <p role="status" className="muted">
          {t('team.connect.signingIn')}
        </p>
      )}
      <div className="sheet-actions">
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {again ? t('team.signInAgain.submit') : t('team.connect.submit')}
        </button>
      </div>
    </form>
  );
}

/** After the sign-in: the first snapshot's parts and rows as they come. */
function Progress({ status }: { status: TeamStatus | null }) {
  const { t } = useT();
  const b = status?.bootstrap;
  const loading = !!b && (b.loading || !b.ready);
  const fraction = b && b.partsTotal > 0 ? b.partsDone / b.partsTotal : 0;
  return (
    <div className="team-progress">
      <p role="status">
        {loading && b
          ? t('team.connect.downloading', { done: b.partsDone, total: b.partsTotal, rows: formatCount(b.rows) })
          : t('team.connect.waiting')}
      </p>
      <progress max={1} value={loading ? fraction : 1} aria-hidden="true" />
    </div>
  );
}

function MemberPanel({ status, onClose }: { status: TeamStatus; onClose: () => void }) {
  const { t, lang } = useT();
  const client = useClient();
  const { setStatus } = useTeamStatus();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ContractError | null>(null);
  const leave = async (discardPending: boolean) => {
    setBusy(true);
    setError(null);
    const r = await client.call('team.leave', discardPending ? { discardPending: true } : {});
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setStatus(r.value);
    onClose();
  };
  return (
    <>
      <table>
        <tbody>
          <tr>
            <td>{t('team.status.hub')}</td>
            <td className="team-hub">{status.hubUrl}</td>
          </tr>
          <tr>
            <td>{t('team.status.account')}</td>
            <td>
              {status.account?.nick}（{t(`role.${status.account?.role ?? 'agent'}`)}）
            </td>
          </tr>
          <tr>
            <td>{t('team.status.link')}</td>
            <td>{t(`team.link.${status.link ?? 'offline'}`)}</td>
          </tr>
          <tr>
            <td>{t('team.status.pending')}</td>
            <td>{formatCount(status.pending)}</td>
          </tr>
          <tr>
            <td>{t('team.status.lastSynced')}</td>
            <td>{status.lastSyncedAt === null ? t('team.status.never') : formatClock(lang, status.lastSyncedAt)}</td>
          </tr>
        </tbody>
      </table>
      {confirming ? (
        <div className="team-leave">
          <p>{t('team.leave.confirm')}</p>
          {status.pending > 0 && <p className="error">{t('team.leave.pending', { n: formatCount(status.pending) })}</p>}
          {error && (
            <p role="alert" className="error">
              {teamErrorText(t, error)}
            </p>
          )}
          <div className="sheet-actions">
            <button type="button" onClick={() => setConfirming(false)}>
              {t('team.leave.cancel')}
            </button>
            <button type="button" className="danger" disabled={busy} onClick={() => void leave(status.pending > 0)}>
              {status.pending > 0 ? t('team.leave.discard') : t('team.leave.confirmButton')}
            </button>
          </div>
        </div>
      ) : (
        <div className="sheet-actions">
          <button type="button" className="link" onClick={() => setConfirming(true)}>
            {t('team.leave.button')}
          </button>
          <span className="spacer" />
          <button type="button" onClick={onClose}>
            {t('common.close')}
          </button>
        </div>
      )}
    </>
  );
}
