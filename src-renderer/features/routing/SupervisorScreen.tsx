import { useMemo, useState } from 'react';
import { MAX_OPEN_LIMIT, teamOverview, UNANSWERED_ALERT_MS } from '../../../shared/domain/routing';
import { may } from '../../../shared/domain/policy';
import type { ConversationSummary, TeamAgent } from '../../../shared/domain/types';
import { useNow } from '../../hooks/useNow';
import { useAppInfo } from '../../hooks/useAppInfo';
import { errorText } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';
import type { ContractError } from '../../../shared/contract/errors';
import { useConversationList } from '../conversations/useConversationList';
import { TransferDialog } from './TransferDialog';
import { useRoster } from './useRouting';

/** A waiting time as a clock (3:07, 1:02:45): it ticks every second on this screen. */
export function waitClock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

/**
 * The supervisor's view (团队接待), from the replica and so live: every agent with the state the team
 * sees (在线 / 挂起 / 离线: at no connected desk is 离线), their open conversations against their
 * maximum (which a lead sets here) and their longest-waiting buyer; the queue (未分配); every buyer
 * unanswered for 3 minutes or more. Each buyer can be opened at the desk or reassigned (转派).
 */
export function SupervisorScreen({ onOpen }: { onOpen: (conversationId: string) => void }) {
  const { t, lang } = useT();
  const { info } = useAppInfo();
  const roster = useRoster();
  const { agents, nicks } = roster;
  const { conversations } = useConversationList();
  const now = useNow(1_000);
  const [reassign, setReassign] = useState<ConversationSummary | null>(null);
  const view = useMemo(() => teamOverview(agents, conversations ?? [], now), [agents, conversations, now]);
  const minutes = UNANSWERED_ALERT_MS / 60_000;

  if (!may(info?.agent.role, 'superviseTeam')) {
    return (
      <section className="supervisor-screen">
        <p className="muted">{t('supervisor.leadsOnly')}</p>
      </section>
    );
  }

  if (!conversations) {
    return (
      <section className="supervisor-screen">
        <p className="muted">{t('list.loading')}</p>
      </section>
    );
  }

  const buyerRow = (c: ConversationSummary, withOwner: boolean) => (
    <tr key={c.id} data-conversation-id={c.id}>
      <td className="nick">{c.customerNick}</td>
      {withOwner && (
        <td>{c.agentId === null ? <span className="owner owner-none">{t('list.unassigned')}</span> : (nicks.get(c.agentId) ?? '')}</td>
      )}
      <td className={`wait-clock${c.waitingSince !== null && now - c.waitingSince >= UNANSWERED_ALERT_MS ? ' late' : ''}`}>
        {c.waitingSince === null ? t('supervisor.noWait') : waitClock(now - c.waitingSince)}
      </td>
      <td className="actions">
        <button type="button" className="link" aria-label={t('supervisor.openOne', { nick: c.customerNick })} onClick={() => onOpen(c.id)}>
          {t('supervisor.open')}
        </button>
        <button type="button" aria-label={t('supervisor.reassignOne', { nick: c.customerNick })} onClick={() => setReassign(c)}>
          {t('supervisor.reassign')}
        </button>
      </td>
    </tr>
  );

  return (
    <section className="supervisor-screen" aria-labelledby="supervisor-title">
      <header className="supervisor-head">
        <h1 id="supervisor-title">{t('supervisor.title')}</h1>
        <span className="spacer" />
        <time className="muted" dateTime={new Date(now).toISOString()}>
          {t('supervisor.clock', { time: new Date(now).toLocaleTimeString(lang, { hour12: false }) })}
        </time>
      </header>
      <div className="supervisor-grid">
        <section className="supervisor-card supervisor-agents" aria-labelledby="supervisor-agents">
          <h2 id="supervisor-agents">{t('supervisor.agents')}</h2>
          <table className="supervisor-table">
            <thead>
              <tr>
                <th>{t('supervisor.col.agent')}</th>
                <th>{t('supervisor.col.state')}</th>
                <th>{t('supervisor.col.open')}</th>
                <th>{t('supervisor.col.max')}</th>
                <th>{t('supervisor.col.wait')}</th>
              </tr>
            </thead>
            <tbody>
              {view.agents.map((load) => (
                <tr key={load.agent.id} data-agent-id={load.agent.id}>
                  <td className="nick">
                    {load.agent.nick}
                    <span className="muted role">{t(`role.${load.agent.role}`)}</span>
                  </td>
                  <td>
                    <span className={`state-chip state-${load.state}`}>{t(`agentState.${load.state}`)}</span>
                  </td>
                  <td className={`num${load.open >= load.agent.maxOpen ? ' full' : ''}`}>{load.open}</td>
                  <td>
                    <MaxOpenInput agent={load.agent} />
                  </td>
                  <td
                    className={`wait-clock${load.waitingSince !== null && now - load.waitingSince >= UNANSWERED_ALERT_MS ? ' late' : ''}`}
                  >
                    {load.waitingSince === null ? t('supervisor.noWait') : waitClock(now - load.waitingSince)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <MaxOpenForAll agents={agents} />
          <p className="muted hint">{t('supervisor.maxHint')}</p>
        </section>
        <section className="supervisor-card" aria-labelledby="supervisor-queue">
          <h2 id="supervisor-queue">
            {t('supervisor.queue')} <span className="count">{view.queue.length}</span>
          </h2>
          {view.queue.length === 0 ? (
            <p className="muted">{t('supervisor.queueEmpty')}</p>
          ) : (
            <table className="supervisor-table" aria-labelledby="supervisor-queue">
              <thead>
                <tr>
                  <th>{t('supervisor.col.buyer')}</th>
                  <th>{t('supervisor.col.waited')}</th>
                  <th>{t('supervisor.col.actions')}</th>
                </tr>
              </thead>
              <tbody>{view.queue.map((c) => buyerRow(c, false))}</tbody>
            </table>
          )}
        </section>
        <section className="supervisor-card" aria-labelledby="supervisor-unanswered">
          <h2 id="supervisor-unanswered">
            {t('supervisor.unanswered', { minutes })} <span className="count">{view.unanswered.length}</span>
          </h2>
          {view.unanswered.length === 0 ? (
            <p className="muted">{t('supervisor.unansweredEmpty', { minutes })}</p>
          ) : (
            <table className="supervisor-table" aria-labelledby="supervisor-unanswered">
              <thead>
                <tr>
                  <th>{t('supervisor.col.buyer')}</th>
                  <th>{t('supervisor.col.owner')}</th>
                  <th>{t('supervisor.col.waited')}</th>
                  <th>{t('supervisor.col.actions')}</th>
                </tr>
              </thead>
              <tbody>{view.unanswered.map((c) => buyerRow(c, true))}</tbody>
            </table>
          )}
        </section>
      </div>
      {reassign && (
        <TransferDialog conversation={reassign} conversations={conversations} roster={roster} onClose={() => setReassign(null)} />
      )}
    </section>
  );
}

/** Sets routing's maximum for some agents (a direct call: the roster's rows come back through the feed). */
function useSetMaxOpen(): { save: (agentIds: string[], maxOpen: number) => Promise<boolean>; error: ContractError | null } {
  const client = useClient();
  const [error, setError] = useState<ContractError | null>(null);
  return {
    error,
    save: async (agentIds, maxOpen) => {
      const r = await client.call('routing.setMaxOpen', { agentIds, maxOpen });
      setError(r.ok ? null : r.error);
      return r.ok;
    },
  };
}

const clampMax = (raw: string): number | null => {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= MAX_OPEN_LIMIT ? n : null;
};

function MaxOpenInput({ agent }: { agent: TeamAgent }) {
  const { t } = useT();
  const { save, error } = useSetMaxOpen();
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft === null) return;
    const n = clampMax(draft);
    setDraft(null);
    if (n !== null && n !== agent.maxOpen) void save([agent.id], n);
  };
  return (
    <>
      <input
        type="number"
        className="max-open"
        min={1}
        max={MAX_OPEN_LIMIT}
        aria-label={t('supervisor.maxOpen', { nick: agent.nick })}
        value={draft ?? String(agent.maxOpen)}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          else if (e.key === 'Escape') setDraft(null);
        }}
      />
      {error && (
        <span role="alert" className="error">
          {errorText(t, error)}
        </span>
      )}
    </>
  );
}

function MaxOpenForAll({ agents }: { agents: TeamAgent[] }) {
  const { t } = useT();
  const { save, error } = useSetMaxOpen();
  const [draft, setDraft] = useState('');
  const n = clampMax(draft);
  return (
    <div className="max-all">
      <label>
        <span>{t('supervisor.maxAll')}</span>
        <input type="number" className="max-open" min={1} max={MAX_OPEN_LIMIT} value={draft} onChange={(e) => setDraft(e.target.value)} />
      </label>
      <button
        type="button"
        disabled={n === null || agents.length === 0}
        onClick={() =>
          n !== null &&
          void save(
            agents.map((a) => a.id),
            n,
          ).then((done) => done && setDraft(''))
        }
      >
        {t('supervisor.applyAll')}
      </button>
      {error && (
        <span role="alert" className="error">
          {errorText(t, error)}
        </span>
      )}
    </div>
  );
}
