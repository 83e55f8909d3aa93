import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { shownState, TRANSFER_NOTE_MAX_CHARS } from '../../../shared/domain/routing';
import type { AgentState, ConversationSummary, TeamAgent } from '../../../shared/domain/types';
import { useT } from '../../i18n/useT';
import { useRouting } from './useRouting';

const STATE_RANK: Record<AgentState, number> = { online: 0, busy: 1, offline: 2 };

/**
 * 转接: hand the conversation to a colleague (each shown with their state and how many open
 * conversations they hold against their maximum) or back to the queue, with a note the colleague
 * reads in the history. Keyboard: ↑↓ choose (a radio group), Enter confirms, Esc closes; in the note,
 * Ctrl+Enter confirms.
 */
export function TransferDialog({
  conversation,
  conversations,
  roster,
  onClose,
}: {
  conversation: ConversationSummary;
  /** The desk's open conversations (each colleague's load), as the caller already reads them. */
  conversations: readonly ConversationSummary[];
  /** The team's enabled agents (`useRoster`), as the caller already reads them: one live query, not two. */
  roster: { agents: readonly TeamAgent[]; loaded: boolean };
  onClose: () => void;
}) {
  const { t } = useT();
  const { agents, loaded } = roster;
  const { transfer, agentId: me } = useRouting();
  const [choice, setChoice] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);

  const open = useMemo(() => {
    const counts = new Map<string, number>();
    for (const c of conversations) if (c.agentId !== null) counts.set(c.agentId, (counts.get(c.agentId) ?? 0) + 1);
    return counts;
  }, [conversations]);
  const colleagues = useMemo(
    () =>
      agents
        .filter((a) => a.id !== conversation.agentId)
        .map((a) => ({ agent: a, state: shownState(a), open: open.get(a.id) ?? 0 }))
        .sort((x, y) => STATE_RANK[x.state] - STATE_RANK[y.state] || x.open - y.open || x.agent.nick.localeCompare(y.agent.nick, 'zh-CN')),
    [agents, conversation.agentId, open],
  );
  const colleagueIds = colleagues.map((c) => c.agent.id).join(' ');
  // The first choice takes the focus once the roster is read (the replica answers a moment after the
  // dialog opens), and again if the list changes before the agent has chosen or typed anything.
  const box = useRef<HTMLDivElement>(null);
  const untouched = choice === null && note === '';
  useEffect(() => {
    const inside = document.activeElement instanceof HTMLElement && box.current?.contains(document.activeElement);
    if (!loaded || !untouched || (inside && document.activeElement?.getAttribute('name') !== 'transfer-to')) return;
    first.current?.focus();
  }, [loaded, untouched, colleagueIds]);
  const options = [...colleagues.map((c) => c.agent.id), ...(conversation.agentId === null ? [] : ['queue'])];
  const noteLength = Array.from(note.trim()).length;

  const confirm = () => {
    if (choice === null) return setProblem(t('transfer.pick'));
    if (noteLength > TRANSFER_NOTE_MAX_CHARS) return setProblem(t('transfer.noteTooLong', { max: TRANSFER_NOTE_MAX_CHARS }));
    transfer(conversation, choice === 'queue' ? null : choice, note);
    onClose();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.nativeEvent.isComposing) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
    } else if (e.key === 'Enter' && (e.target instanceof HTMLInputElement || e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      confirm();
    }
  };

  return (
    <div className="overlay" onClick={onClose}>
      <div
        ref={box}
        role="dialog"
        aria-modal="true"
        aria-labelledby="transfer-title"
        className="sheet transfer-dialog"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={onKeyDown}
      >
        <h2 id="transfer-title">{t('transfer.title')}</h2>
        <p className="muted">{t('transfer.intro', { nick: conversation.customerNick })}</p>
        <div role="radiogroup" aria-label={t('transfer.colleagues')} className="transfer-options">
          {colleagues.map(({ agent, state, open: n }, i) => (
            <label key={agent.id} className={`transfer-option${choice === agent.id ? ' chosen' : ''}`}>
              <input
                ref={i === 0 ? first : undefined}
                type="radio"
                name="transfer-to"
                value={agent.id}
                checked={choice === agent.id}
                onChange={() => {
                  setChoice(agent.id);
                  setProblem(null);
                }}
              />
              <span className="nick">
                {agent.nick}
                {agent.id === me ? t('transfer.you') : ''}
              </span>
              <span className={`state-chip state-${state}`}>{t(`agentState.${state}`)}</span>
              <span className={`load${n >= agent.maxOpen ? ' full' : ''}`}>{t('transfer.load', { open: n, max: agent.maxOpen })}</span>
            </label>
          ))}
          {conversation.agentId !== null && (
            <label className={`transfer-option queue${choice === 'queue' ? ' chosen' : ''}`}>
              <input
                ref={colleagues.length === 0 ? first : undefined}
                type="radio"
                name="transfer-to"
                value="queue"
                checked={choice === 'queue'}
                onChange={() => {
                  setChoice('queue');
                  setProblem(null);
                }}
              />
              <span className="nick">{t('transfer.toQueue')}</span>
              <span className="muted">{t('transfer.queueHint')}</span>
            </label>
          )}
        </div>
        <label className="transfer-note">
          <span>{t('transfer.note')}</span>
          <textarea
            rows={3}
            value={note}
            placeholder={t('transfer.notePlaceholder')}
            onChange={(e) => {
              setNote(e.target.value);
              setProblem(null);
            }}
          />
          <span className={`note-count${noteLength > TRANSFER_NOTE_MAX_CHARS ? ' error' : ''}`}>
            {t('transfer.noteCount', { n: noteLength, max: TRANSFER_NOTE_MAX_CHARS })}
          </span>
        </label>
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        <div className="dialog-actions">
          <span className="muted key-hint">{t('transfer.keys')}</span>
          <span className="spacer" />
          <button type="button" onClick={onClose}>
            {t('transfer.cancel')}
          </button>
          <button type="button" className="primary" disabled={options.length === 0} onClick={confirm}>
            {t('transfer.confirm')}
          </button>
        </div>
      </div>
    </div>
  );
}
