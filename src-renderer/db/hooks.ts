import { useCallback, useSyncExternalStore } from 'react';
import type { ContractError } from '../../shared/contract/errors';
import type {
  ConversationSummary,
  Customer,
  CustomerGroup,
  Order,
  PickerPhrase,
  PhraseGroup,
  Tag,
  TeamAgent,
} from '../../shared/domain/types';
import type { MutationArgs, MutationName } from '../../shared/sync/mutations';
import type { ReplicaMessage } from '../../shared/sync/replica';
import {
  agentList,
  conversationSummaries,
  customerWithTags,
  groupList,
  messagesOf,
  ordersOf,
  pendingActions,
  phraseData,
  redLineList,
  tagList,
  type PendingActions,
} from './queries';
import type { SyncNotice } from './replicaDb';
import { useRenewedLiveQuery } from './renewedLiveQuery';
import { useSyncEngine } from './SyncContext';

/**
 * The desk's reads: live queries over the replica. Each re-runs when a table range it read changes
 * (a pulled chunk, an optimistic write), so components re-render with the new rows and nothing else.
 * `undefined` while the first answer is on its way; `null` while the replica is being built. Each is
 * renewed when it has not run for a minute (renewedLiveQuery.ts: Dexie's per-query set of written keys).
 */

/**
 * A live query for one thing (a conversation, a buyer). useLiveQuery keeps its last answer while the
 * query for new deps is on its way, so right after a switch it would still hand out the previous
 * buyer's rows. Here every answer carries the key it was read for, and one for another key is never
 * returned: `undefined` until this key's own answer is in.
 */
function useKeyedLiveQuery<T>(key: string | null, read: (key: string | null) => Promise<T>, deps: unknown[]): T | undefined {
  // The caller's deps name what `read` uses besides the key.
  const answer = useRenewedLiveQuery(async () => ({ key, value: await read(key) }), [key, ...deps]);
  return answer !== undefined && answer.key === key ? answer.value : undefined;
}

/** Open conversations with the buyer's nick, tags and group joined in (the list's rows). */
export function useReplicaConversations(): ConversationSummary[] | null | undefined {
  const { db } = useSyncEngine();
  return useRenewedLiveQuery(() => conversationSummaries(db), [db]);
}

/** The replica's window of a conversation's messages (its newest ones and this desk's unconfirmed replies), in time order. */
export function useReplicaMessages(conversationId: string | null): ReplicaMessage[] | undefined {
  const { db } = useSyncEngine();
  return useKeyedLiveQuery(conversationId, (id) => messagesOf(db, id), [db]);
}

/** One buyer with tags. */
export function useReplicaCustomer(customerId: string): Customer | null | undefined {
  const { db } = useSyncEngine();
  return useKeyedLiveQuery(customerId, (id) => (id ? customerWithTags(db, id) : Promise.resolve(null)), [db]);
}

/** The team's roster, live: states, presence, maximums (a colleague going offline shows at once). */
export function useReplicaAgents(): TeamAgent[] | undefined {
  const { db } = useSyncEngine();
  return useRenewedLiveQuery(() => agentList(db), [db]);
}

/** Every customer tag of the shop. */
export function useReplicaTags(): Tag[] | undefined {
  const { db } = useSyncEngine();
  return useRenewedLiveQuery(() => tagList(db), [db]);
}

export function useReplicaGroups(): CustomerGroup[] | undefined {
  const { db } = useSyncEngine();
  return useRenewedLiveQuery(() => groupList(db), [db]);
}

/** A buyer's orders with the seller's notes, newest first. */
export function useReplicaOrders(customerId: string): Order[] | undefined {
  const { db } = useSyncEngine();
  return useKeyedLiveQuery(customerId, (id) => (id ? ordersOf(db, id) : Promise.resolve([])), [db]);
}

/** The picker's phrases and groups. */
export function useReplicaPhrases(): { groups: PhraseGroup[]; phrases: PickerPhrase[] } | undefined {
  const { db } = useSyncEngine();
  return useRenewedLiveQuery(() => phraseData(db), [db]);
}

/** The shop's red-line words and exceptions, as the replica holds them (live: a supervisor's change arrives through the feed). */
export function useReplicaRedLines(): Awaited<ReturnType<typeof redLineList>> | undefined {
  const { db } = useSyncEngine();
  return useRenewedLiveQuery(() => redLineList(db), [db]);
}

/** This desk's actions the core has not confirmed yet (the outbox), for the desk to mark them pending. */
export function usePendingActions(): PendingActions | undefined {
  const { db } = useSyncEngine();
  return useRenewedLiveQuery(() => pendingActions(db), [db]);
}

/**
 * A key that changes whenever this desk's 结束 or 重新打开 of a conversation is queued or confirmed by
 * the core: a view of the core's ended conversations (历史) reads again when it changes, so one ended
 * a moment ago shows once the core has it.
 */
export function useConversationMovesKey(): string {
  const { db } = useSyncEngine();
  return useRenewedLiveQuery(
    async () =>
      (await db.outbox.toArray())
        .filter((e) => e.name === 'conversations.end' || e.name === 'conversations.reopen')
        .map((e) => `${e.mutationId}:${e.doneSeq ?? e.status}`)
        .join(','),
    [db],
    '',
  );
}

/** Actions the core refused (other than replies, which show failed in the chat), for the desk to say so. */
export function useSyncNotices(): { notices: SyncNotice[]; dismiss: (id: number) => void } {
  const engine = useSyncEngine();
  const notices = useRenewedLiveQuery(() => engine.db.notices.toArray(), [engine], []);
  const dismiss = useCallback((id: number) => void engine.db.notices.delete(id), [engine]);
  return { notices, dismiss };
}

/**
 * `mutate(name, args)`: the desk's one way to change what the replica holds. It never rejects: it
 * gives the mutation's id, or null when the action could not be saved even locally (the desk then
 * says so in its sync banner), so callers may fire and forget.
 */
export function useMutate(): <N extends MutationName>(name: N, args: MutationArgs<N>) => Promise<string | null> {
  const engine = useSyncEngine();
  return useCallback(
    (name, args) =>
      engine.mutate(name, args).catch((error: unknown) => {
        engine.reportLocalFailure(error);
        return null;
      }),
    [engine],
  );
}

/** Sends a refused reply again (same message id). */
export function useRetrySend(): (messageId: string) => Promise<void> {
  const engine = useSyncEngine();
  return useCallback((messageId: string) => engine.retrySend(messageId), [engine]);
}

/**
 * What is going wrong, for the desk to say: `sync` why syncing fails (other than an unreachable
 * core), `local` why the last action could not be saved on this computer, `store` why the core could
 * not save the pushed actions (its disk is full, its folder read-only); null when nothing is.
 */
export function useSyncError(): { sync: ContractError | null; local: ContractError | null; store: ContractError | null } {
  const engine = useSyncEngine();
  const subscribe = useCallback((onChange: () => void) => engine.onStatus(onChange), [engine]);
  const sync = useSyncExternalStore(subscribe, () => engine.error());
  const local = useSyncExternalStore(subscribe, () => engine.localFailure());
  const store = useSyncExternalStore(subscribe, () => engine.storeFault());
  return { sync, local, store };
}
