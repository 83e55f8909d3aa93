import { useEffect, useRef } from 'react';
import { arrivals, snapshotOf, titleWith, unreadTotal, type Arrival, type ArrivalSnapshot } from '../../../shared/domain/alerts';
import type { ConversationSummary } from '../../../shared/domain/types';
import { notifyDesktop } from '../../hooks/desktopNotification';
import { useClient } from '../../ipc/ClientContext';
import type { Translate as T } from '../../i18n';
import { useT } from '../../i18n/useT';
import { DEFAULT_ALERTS, ALERT_SOUNDS, type AlertPrefs } from '../../state/preferencesSlice';
import { useDeskStore } from '../../state/store';
import { playAlert } from './sounds';

/** The agent's alert choice, read defensively (what the browser kept may be from another version). */
export function alertPrefsOf(all: Record<string, AlertPrefs> | undefined, agentId: string | null): AlertPrefs {
  const p = agentId ? all?.[agentId] : undefined;
  return {
    sound: p && ALERT_SOUNDS.includes(p.sound) ? p.sound : DEFAULT_ALERTS.sound,
    notify: typeof p?.notify === 'boolean' ? p.notify : DEFAULT_ALERTS.notify,
  };
}

/** Whether the agent is looking at the window right now. */
const inFront = () => document.visibilityState === 'visible' && document.hasFocus();

function notificationText(t: T, news: Arrival[]): { title: string; body: string } {
  if (news.length === 1) {
    const a = news[0]!;
    return { title: t(a.kind === 'newBuyer' ? 'alerts.newBuyer' : 'alerts.newMessage', { nick: a.customerNick }), body: a.preview };
  }
  const buyers = news.filter((a) => a.kind === 'newBuyer').length;
  return {
    title: t('alerts.many', { n: news.length }),
    body: buyers > 0 ? t('alerts.manyBody', { buyers }) : news.map((a) => a.customerNick).join('、'),
  };
}

/**
 * Never miss a buyer (issue 15): each time the conversation list changes, buyers who wrote since the
 * last list are told — a sound (two tones for a new buyer), a desktop notification while the window is
 * in the background (a click opens that conversation), the unread count in the window title, and the
 * dock/taskbar badge through the shell (`app.badge`). The conversation the agent has open in front of
 * them says nothing. `conversations` null (the replica being built) resets what the desk has seen.
 */
export function useArrivalAlerts(conversations: ConversationSummary[] | null, agentId: string | null, shopName: string): void {
  const { t } = useT();
  const client = useClient();
  const seen = useRef<{ agentId: string | null; snapshot: ArrivalSnapshot | null }>({ agentId, snapshot: null });
  const lastBadge = useRef(-1);
  const unread = conversations ? unreadTotal(conversations, agentId) : 0;

  useEffect(() => {
    // Another agent signing in here starts from their own list: what waited for them is not news.
    if (seen.current.agentId !== agentId || conversations === null) seen.current = { agentId, snapshot: null };
    if (conversations === null) return;
    const before = seen.current.snapshot;
    seen.current = { agentId, snapshot: snapshotOf(conversations) };
    const state = useDeskStore.getState();
    const open = state.screen === 'desk' && inFront() ? state.selectedConversationId : null;
    const news = arrivals(before, conversations, agentId).filter((a) => a.conversationId !== open);
    if (news.length === 0) return;
    const prefs = alertPrefsOf(state.alerts, agentId);
    playAlert(prefs.sound, news.some((a) => a.kind === 'newBuyer') ? 'newBuyer' : 'newMessage');
    if (prefs.notify) {
      const { title, body } = notificationText(t, news);
      const target = news[0]!.conversationId;
      notifyDesktop(
        title,
        body,
        () => {
          useDeskStore.getState().select(target);
          useDeskStore.getState().setScreen('desk');
        },
        'jiedai-buyer',
      );
    }
  }, [conversations, agentId, t]);

  useEffect(() => {
    document.title = titleWith(unread, t('app.name'), shopName);
    if (unread === lastBadge.current) return;
    lastBadge.current = unread;
    void client.call('app.badge', { unread });
  }, [unread, shopName, t, client]);

  useEffect(() => () => void (document.title = t('app.name')), [t]);
}
