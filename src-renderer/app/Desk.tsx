import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { ConversationView } from '../features/chat/ConversationView';
import { ConversationList } from '../features/conversations/ConversationList';
import { scopeCounts, visibleConversations } from '../features/conversations/conversationFilters';
import { useConversationList } from '../features/conversations/useConversationList';
import { CustomerPanel } from '../features/customer/CustomerPanel';
import { PhraseLibrary } from '../features/phrases/library/PhraseLibrary';
import { ExportNotice } from '../features/logExport/ExportNotice';
import { ExportScreen } from '../features/logExport/ExportScreen';
import { SearchScreen } from '../features/search/SearchScreen';
import { HistoryScreen } from '../features/history/HistoryScreen';
import { useArrivalAlerts } from '../features/alerts/useArrivalAlerts';
import { TeamBanner } from '../features/team/TeamBanner';
import { TeamDialog } from '../features/team/TeamDialog';
import { useTeamStatus } from '../features/team/TeamStatusProvider';
import { SupervisorScreen } from '../features/routing/SupervisorScreen';
import { TransferDialog } from '../features/routing/TransferDialog';
import { useRouting, useRoster } from '../features/routing/useRouting';
import { ChannelsScreen } from '../features/channels/ChannelsScreen';
import { AutomationScreen } from '../features/automation/AutomationScreen';
import { may } from '../../shared/domain/policy';
import { useAppInfo } from '../hooks/useAppInfo';
import { usePersonal } from '../features/personal/PersonalProvider';
import { useT } from '../i18n/useT';
import { useMutate } from '../db';
import { useHandler } from '../hooks/useHandler';
import { useDeskStore, useShallow } from '../state/store';
import type { AgentState } from '../../shared/domain/types';
import { CommandBar, type Command } from './CommandBar';
import { ConfirmDialog } from './ConfirmDialog';
import { Header } from './Header';
import { SettingsDialog } from './SettingsDialog';
import { ShortcutSheet } from './ShortcutSheet';
import { SyncNotices } from './SyncNotices';
import { neighbour, nextWaiting, useDeskKeys } from './useDeskKeys';
import { UndoToast } from './UndoToast';

// 报表 and its charts (ECharts) load when a supervisor first opens it: the desk's own bundle stays small.
const ReportsScreen = lazy(() => import('../features/reports/ReportsScreen').then((m) => ({ default: m.ReportsScreen })));

/** The agent's desk: conversations on the left, the open chat in the middle, the buyer on the right. */
export function Desk() {
  const { t } = useT();
  const mutate = useMutate();
  const { info, setAgentState } = useAppInfo();
  const { conversations, error } = useConversationList();
  const selectedId = useDeskStore((s) => s.selectedConversationId);
  const screen = useDeskStore((s) => s.screen);
  const select = useDeskStore((s) => s.select);
  const setScreen = useDeskStore((s) => s.setScreen);
  const view = useDeskStore(
    useShallow((s) => ({
      scope: s.listScope,
      filter: s.listFilter,
      sort: s.listSort,
      tagId: s.listTagId,
      groupId: s.listGroupId,
      query: s.listQuery,
    })),
  );
  const { items: holds } = usePersonal();
  const agentId = info?.agent.id ?? null;
  useArrivalAlerts(info ? conversations : null, agentId, info?.shop.name ?? '');
  const shown = useMemo(
    () => (conversations ? visibleConversations(conversations, { ...view, holds, agentId }) : null),
    [conversations, view, holds, agentId],
  );
  const counts = useMemo(() => (conversations ? scopeCounts(conversations, agentId) : null), [conversations, agentId]);
  const roster = useRoster();
  const { nicks } = roster;
  const { take, canTransfer } = useRouting();
  const selected = conversations?.find((c) => c.id === selectedId) ?? null;
  const [overlay, setOverlay] = useState<'commands' | 'shortcuts' | 'settings' | 'offline' | 'team' | null>(null);
  // 离线 asks first while the agent still has open conversations (they stay theirs; no new buyers come).
  const openMine = conversations?.filter((c) => c.agentId === agentId).length ?? 0;
  const chooseState = (s: AgentState) => (s === 'offline' && openMine > 0 ? setOverlay('offline') : void setAgentState(s));
  // 结束 asks nothing: it ends at once, opens the next waiting buyer, and offers an undo for a few seconds.
  const [ended, setEnded] = useState<{ conversationId: string; nick: string } | null>(null);
  // The desk's handlers that read the list are useHandler's, not useCallback's: memoized ones kept
  // older renders' lists alive, one more for every end (hooks/useHandler.ts).
  const endConversation = useHandler((id: string) => {
    const list = shown ?? [];
    const nick = conversations?.find((c) => c.id === id)?.customerNick ?? '';
    void mutate('conversations.end', { conversationId: id });
    if (useDeskStore.getState().selectedConversationId === id) {
      const rest = list.filter((c) => c.id !== id);
      select((nextWaiting(rest, id) ?? neighbour(rest, id, 1))?.id ?? null);
    }
    setEnded({ conversationId: id, nick });
  });
  // A snoozed conversation leaves the list: the next waiting buyer opens, as after 结束.
  const snoozed = useHandler((id: string) => {
    if (useDeskStore.getState().selectedConversationId !== id) return;
    const rest = (shown ?? []).filter((c) => c.id !== id);
    select((nextWaiting(rest, id) ?? neighbour(rest, id, 1))?.id ?? null);
  });
  const undoEnd = useHandler(() => {
    if (!ended) return;
    void mutate('conversations.reopen', { conversationId: ended.conversationId });
    select(ended.conversationId);
    setScreen('desk');
    setEnded(null);
  });

  const { status: team } = useTeamStatus();
  const openTeam = useCallback(() => setOverlay('team'), []);
  const closeOverlay = useCallback(() => setOverlay(null), []);
  // The conversation being handed on (转接), read live: the dialog sends the owner it shows now.
  const [transferId, setTransferId] = useState<string | null>(null);
  const transferring = transferId === null ? null : (conversations?.find((c) => c.id === transferId) ?? null);
  const mayLead = may(info?.agent.role, 'superviseTeam');
  const endAndNext = useHandler(() => {
    const id = useDeskStore.getState().selectedConversationId;
    if (id && conversations?.some((c) => c.id === id)) endConversation(id);
  });
  const opener = useMemo(
    () => ({
      commands: () => setOverlay('commands'),
      shortcuts: () => setOverlay('shortcuts'),
      search: () => (setOverlay(null), setScreen('search')),
      endAndNext,
      undoEnd,
    }),
    [setScreen, endAndNext, undoEnd],
  );
  useDeskKeys(shown ?? [], opener);

  // A hit in a conversation the desk lists (an open one) can be answered there; ended ones stay in search.
  const listed = useMemo(() => new Set((conversations ?? []).map((c) => c.id)), [conversations]);
  const openAtDesk = useCallback(
    (id: string) => {
      select(id);
      setScreen('desk');
    },
    [select, setScreen],
  );

  const actions: Command[] = [
    { id: 'state:online', label: t('commands.state', { state: t('agentState.online') }), run: () => chooseState('online') },
    { id: 'state:busy', label: t('commands.state', { state: t('agentState.busy') }), run: () => chooseState('busy') },
    { id: 'state:offline', label: t('commands.state', { state: t('agentState.offline') }), run: () => chooseState('offline') },
    ...(selected
      ? [{ id: 'end', label: t('commands.end', { nick: selected.customerNick }), run: () => endConversation(selected.id) }]
      : []),
    ...(selected && selected.agentId === null
      ? [{ id: 'take', label: t('commands.take', { nick: selected.customerNick }), run: () => take(selected.id) }]
      : []),
    ...(selected && canTransfer(selected)
      ? [{ id: 'transfer', label: t('commands.transfer', { nick: selected.customerNick }), run: () => setTransferId(selected.id) }]
      : []),
    ...(mayLead ? [{ id: 'supervisor', label: t('supervisor.command'), run: () => setScreen('supervisor') }] : []),
    { id: 'search', label: t('search.command'), run: () => setScreen('search') },
    { id: 'history', label: t('nav.history'), run: () => setScreen('history') },
    { id: 'automation', label: t('automation.command'), run: () => setScreen('automation') },
    ...(may(info?.agent.role, 'viewReports') ? [{ id: 'reports', label: t('reports.command'), run: () => setScreen('reports') }] : []),
    { id: 'shortcuts', label: t('keys.title'), run: () => setOverlay('shortcuts') },
    { id: 'settings', label: t('settings.title'), run: () => setOverlay('settings') },
    {
      id: 'team',
      label:
        team?.mode !== 'team'
          ? t('team.command.connect')
          : team.link === 'signed-out'
            ? t('team.command.signIn')
            : t('team.command.status'),
      run: openTeam,
    },
  ];

  return (
    <div className="app">
      <Header
        onShortcuts={() => setOverlay('shortcuts')}
        onSettings={() => setOverlay('settings')}
        onState={chooseState}
        onTeam={openTeam}
      />
      <TeamBanner onSignIn={openTeam} />
      <SyncNotices />
      {may(info?.agent.role, 'exportLogs') && <ExportNotice />}
      {screen === 'phrases' ? (
        <main className="screen">
          <PhraseLibrary />
        </main>
      ) : screen === 'search' ? (
        <main className="screen">
          <SearchScreen atDesk={(id) => listed.has(id)} onOpenAtDesk={openAtDesk} />
        </main>
      ) : screen === 'history' ? (
        <main className="screen">
          <HistoryScreen onOpenAtDesk={openAtDesk} />
        </main>
      ) : screen === 'reports' && may(info?.agent.role, 'viewReports') ? (
        <main className="screen reports-main">
          <Suspense fallback={<p className="muted reports-loading">{t('reports.loading')}</p>}>
            <ReportsScreen />
          </Suspense>
        </main>
      ) : screen === 'automation' ? (
        <main className="screen">
          <AutomationScreen />
        </main>
      ) : screen === 'channels' && may(info?.agent.role, 'keepChannels') ? (
        <main className="screen">
          <ChannelsScreen />
        </main>
      ) : screen === 'logExport' && may(info?.agent.role, 'exportLogs') ? (
        <main className="screen">
          <ExportScreen />
        </main>
      ) : screen === 'supervisor' && mayLead ? (
        <main className="screen">
          <SupervisorScreen onOpen={openAtDesk} />
        </main>
      ) : (
        <main className="desk">
          <ConversationList conversations={conversations} shown={shown} error={error} counts={counts} nicks={nicks} agentId={agentId} />
          {selected ? (
            <>
              <ConversationView
                conversation={selected}
                onEnd={endConversation}
                onTransfer={(c) => setTransferId(c.id)}
                onSnoozed={snoozed}
              />
              {/* Keyed: an open remark editor, a batch selection or a flag filter belongs to one buyer. */}
              <CustomerPanel key={selected.id} customerId={selected.customerId} conversationId={selected.id} />
            </>
          ) : (
            <div className="empty-view muted">{t('view.empty')}</div>
          )}
        </main>
      )}
      {ended && (
        <UndoToast
          key={ended.conversationId}
          text={t('end.done', { nick: ended.nick })}
          onUndo={undoEnd}
          onTimeout={() => setEnded(null)}
        />
      )}
      {overlay === 'shortcuts' && <ShortcutSheet onClose={() => setOverlay(null)} />}
      {overlay === 'settings' && <SettingsDialog onClose={() => setOverlay(null)} onTeam={openTeam} />}
      {overlay === 'team' && <TeamDialog onClose={closeOverlay} />}
      {overlay === 'offline' && (
        <ConfirmDialog
          text={t('agentState.offlineConfirm', { n: openMine })}
          confirm={t('agentState.offline')}
          onConfirm={() => (setOverlay(null), void setAgentState('offline'))}
          onCancel={() => setOverlay(null)}
        />
      )}
      {transferring && (
        <TransferDialog
          conversation={transferring}
          conversations={conversations ?? []}
          roster={roster}
          onClose={() => setTransferId(null)}
        />
      )}
      {overlay === 'commands' && (
        <CommandBar conversations={shown ?? []} actions={actions} onJump={select} onClose={() => setOverlay(null)} />
      )}
    </div>
  );
}
