import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ContractError } from '../../../shared/contract/errors';
import { nextDue, type Hold, type PersonalItem } from '../../../shared/domain/personal';
import { onBeforeAgentSwitch, useAppInfo } from '../../hooks/useAppInfo';
import { useClient, useConnection, useCoreEvent } from '../../ipc/ClientContext';
import { useDeskStore } from '../../state/store';

/** Typing waits this long before the draft is kept in the core (each conversation on its own). */
export const DRAFT_SAVE_MS = 500;
/** A data change (a buyer may have written) asks again at most this often. */
const POKE_THROTTLE_MS = 1000;
/** Asked again this often anyway (another window of the same agent set a snooze). */
const POLL_MS = 60_000;

type PersonalValue = {
  /** The agent's items by conversation (holds and snoozes with their state, drafts). */
  items: ReadonlyMap<string, PersonalItem>;
  /** Read once for this agent. */
  ready: boolean;
  /** The core's clock now, as this desk reads it (snoozes fall due by the core's clock). */
  coreNow: () => number;
  /** Sets or clears a hold or snooze: the core's refusal, or null. */
  setHold: (conversationId: string, hold: Hold | null) => Promise<ContractError | null>;
};

const PersonalContext = createContext<PersonalValue>({
  items: new Map(),
  ready: false,
  coreNow: () => Date.now(),
  setHold: async () => null,
});

/**
 * The agent's own holds, snoozes and drafts, kept in the core (`personal.*`) for the agent signed in
 * at this desk, never in the browser: another agent at this PC, or this agent in another browser,
 * gets their own. The reply box edits `drafts` in the UI store; this provider fills it from the core
 * when an agent sits down (emptying it first) and keeps each change there after a short pause, and
 * before another agent signs in here it sends what is still waiting. Read again on a data change (a
 * buyer writing ends a "until the buyer writes"), when the window comes to the front, when the next
 * snooze falls due, and every minute. Drafts and holds this browser kept before are handed to the
 * core once.
 */
export function PersonalProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const { epoch } = useConnection();
  const { info } = useAppInfo();
  const agentId = info?.agent.id ?? null;
  const [state, setState] = useState<{ agentId: string | null; items: Map<string, PersonalItem>; offset: number }>({
    agentId: null,
    items: new Map(),
    offset: 0,
  });
  const [tick, setTick] = useState(0);
  const ask = useCallback(() => setTick((n) => n + 1), []);

  // Draft saving: the UI store's drafts, compared with what the core was last told, per conversation.
  const told = useRef<{ agentId: string | null; drafts: Record<string, string> }>({ agentId: null, drafts: {} });
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const quiet = useRef(false);
  const send = useCallback(
    (conversationId: string) => {
      timers.current.delete(conversationId);
      const current = told.current;
      if (!current.agentId) return Promise.resolve();
      const draft = (useDeskStore.getState().drafts[conversationId] ?? '').slice(0, 4000);
      if ((current.drafts[conversationId] ?? '') === draft) return Promise.resolve();
      current.drafts = { ...current.drafts, [conversationId]: draft };
      return client.call('personal.saveDraft', { conversationId, draft }).then(() => undefined);
    },
    [client],
  );
  const flush = useCallback(async () => {
    const pending = [...timers.current.keys()];
    for (const id of pending) clearTimeout(timers.current.get(id));
    await Promise.all(pending.map((id) => send(id)));
  }, [send]);

  useEffect(
    () =>
      useDeskStore.subscribe((s, prev) => {
        if (quiet.current || s.drafts === prev.drafts) return;
        const ids = new Set([...Object.keys(s.drafts), ...Object.keys(prev.drafts)]);
        for (const id of ids) {
          if (s.drafts[id] === prev.drafts[id]) continue;
          clearTimeout(timers.current.get(id));
          timers.current.set(
            id,
            setTimeout(() => void send(id), DRAFT_SAVE_MS),
          );
        }
      }),
    [send],
  );
  useEffect(() => onBeforeAgentSwitch(flush), [flush]);
  useEffect(() => {
    const leave = () => void flush();
    window.addEventListener('pagehide', leave);
    return () => window.removeEventListener('pagehide', leave);
  }, [flush]);

  // Another agent sat down: nothing of the last one's stays in the reply box.
  useEffect(() => {
    quiet.current = true;
    for (const t of timers.current.values()) clearTimeout(t);
    timers.current.clear();
    useDeskStore.setState({ drafts: {} });
    quiet.current = false;
    told.current = { agentId: null, drafts: {} };
  }, [agentId]);

  useEffect(() => {
    if (!agentId) return;
    let live = true;
    void (async () => {
      const legacy = useDeskStore.getState().legacyPersonal;
      if (legacy) {
        const drafts = Object.entries(legacy.drafts)
          .filter(([, d]) => d.length > 0)
          .slice(0, 200)
          .map(([conversationId, draft]) => ({ conversationId, draft: draft.slice(0, 4000) }));
        const imported = await client.call('personal.importLocal', { drafts, held: Object.keys(legacy.held).slice(0, 200) });
        // Once: whatever did not pass (a conversation gone, a malformed id) is not asked again.
        if (imported.ok || imported.error.code === 'invalid_argument') useDeskStore.setState({ legacyPersonal: null });
      }
      const before = Date.now();
      const result = await client.call('personal.list', {});
      if (!live || !result.ok) return;
      const offset = result.value.now - Math.round((before + Date.now()) / 2);
      const items = new Map(result.value.items.map((i) => [i.conversationId, i]));
      setState({ agentId, items, offset });
      if (told.current.agentId !== agentId) {
        // The first answer for this agent fills the reply boxes (text typed meanwhile wins).
        const drafts: Record<string, string> = {};
        for (const i of items.values()) if (i.draft) drafts[i.conversationId] = i.draft;
        told.current = { agentId, drafts };
        quiet.current = true;
        useDeskStore.setState((s) => ({ drafts: { ...drafts, ...s.drafts } }));
        quiet.current = false;
      }
    })();
    return () => {
      live = false;
    };
  }, [client, agentId, epoch, tick]);

  // Ask again: on data changes (throttled), at the front, at the next due snooze, every minute.
  const throttle = useRef<ReturnType<typeof setTimeout> | null>(null);
  useCoreEvent('sync.poked', () => {
    if (throttle.current) return;
    throttle.current = setTimeout(() => {
      throttle.current = null;
      ask();
    }, POKE_THROTTLE_MS);
  });
  useEffect(() => {
    const front = () => document.visibilityState !== 'hidden' && ask();
    window.addEventListener('focus', front);
    document.addEventListener('visibilitychange', front);
    const poll = setInterval(ask, POLL_MS);
    return () => {
      window.removeEventListener('focus', front);
      document.removeEventListener('visibilitychange', front);
      clearInterval(poll);
      if (throttle.current) clearTimeout(throttle.current);
    };
  }, [ask]);
  const mine = state.agentId === agentId;
  const items = mine ? state.items : EMPTY;
  const coreNow = useCallback(() => Date.now() + state.offset, [state.offset]);
  useEffect(() => {
    const due = nextDue(items.values(), coreNow());
    if (due === null) return;
    // A timer at most a day ahead (browsers cap delays at about 24.8 days); the minute poll covers the rest.
    const timer = setTimeout(ask, Math.min(Math.max(0, due - coreNow()) + 50, 86_400_000));
    return () => clearTimeout(timer);
  }, [items, coreNow, ask]);

  const setHold = useCallback(
    async (conversationId: string, hold: Hold | null): Promise<ContractError | null> => {
      const result = await client.call('personal.setHold', { conversationId, hold });
      if (!result.ok) return result.error;
      setState((s) => {
        if (s.agentId !== agentId) return s;
        const next = new Map(s.items);
        if (result.value) next.set(conversationId, result.value);
        else next.delete(conversationId);
        return { ...s, items: next };
      });
      return null;
    },
    [client, agentId],
  );

  // A due conversation the agent opens is theirs again: its snooze is done.
  const selectedId = useDeskStore((s) => s.selectedConversationId);
  const selectedDue = selectedId !== null && items.get(selectedId)?.state === 'due';
  useEffect(() => {
    if (selectedDue && selectedId) void setHold(selectedId, null);
  }, [selectedDue, selectedId, setHold]);

  const value = useMemo(() => ({ items, ready: mine, coreNow, setHold }), [items, mine, coreNow, setHold]);
  return <PersonalContext.Provider value={value}>{children}</PersonalContext.Provider>;
}

const EMPTY: ReadonlyMap<string, PersonalItem> = new Map();

export function usePersonal(): PersonalValue {
  return useContext(PersonalContext);
}
