import type { Result } from '../../shared/contract/errors';
import type { EventName, Events } from '../../shared/contract/events';
import type { ArgsIn, MethodName, ResultOf } from '../../shared/contract/methods';
import type {
  Agent,
  ConversationSummary,
  Customer,
  CustomerGroup,
  Message,
  Order,
  PickerPhrase,
  PhraseGroup,
  Tag,
} from '../../shared/domain/types';
import type { MutationName } from '../../shared/sync/mutations';
import type { Client, ConnectionState } from '../ipc/client';

/** A contract call that answers the value or throws the core's refusal. */
export type ShopCall = <M extends MethodName>(method: M, args: ArgsIn<M>) => Promise<ResultOf<M>>;

/**
 * A shop served by the real core, in-process, for renderer tests (tests/renderer/realCore.ts runs
 * `Core` on a temporary data folder). Every rule a desk meets is the core's own; what the test
 * controls is the transport between them (a call that does not get through, the connection state)
 * and what happens elsewhere in the shop (a buyer writes, another desk acts).
 */
export type TestShop = {
  /** A desk's client: a connection of its own, signed in as the PC's default agent until it switches. */
  client(options?: { transport?: Client['transport']; saveDialog?: 'closed' }): Client;
  /** Every call the desks made, in order. */
  readonly calls: { method: MethodName; args: unknown }[];
  /** A method listed here does not reach the core: the desk gets this answer (the core out of reach), until deleted. */
  readonly failures: Map<MethodName, Result<never>>;
  /**
   * Pushed mutations of a name listed here reach the core with an argument its schema does not know,
   * so the core refuses and records them (invalid_argument) as it would any refused action.
   */
  readonly refusals: Set<MutationName>;
  /** Args of the pushed mutations of one name, repeats included, in arrival order. */
  mutationArgs<A = Record<string, unknown>>(name: MutationName): A[];
  /**
   * Holds back the desks' calls of a method, or deliveries of an event, until `release` (a slow
   * core, a slow socket): what the desk shows while it waits.
   */
  hold(name: MethodName | EventName): void;
  release(name: MethodName | EventName): void;
  /** Every desk's connection state (the browser-mode socket closing and opening). */
  setConnection(state: ConnectionState): void;
  /** A contract call from outside the desks, as an agent of the shop (default: the supervisor). */
  call: ShopCall;
  as(agentId: string): ShopCall;
  /** An event on the core's bus, as if the core sent it (export progress the tiny shop would not make). */
  emit<E extends EventName>(name: E, payload: Events[E]): void;
  /** A buyer writes through the conversation service, as from a channel: stored, announced, poked. */
  buyerWrites(customerId: string, text: string): Message;
  /** Whom new desks sign in as (the stored default agent of this PC). */
  setDefaultAgent(agentId: string): void;
  /** Moves the core's test clock on (the one automation and snoozes go by; the desk's own stays). */
  moveClock(ms: number): void;
  /** The shop's time zone setting. */
  setTimeZone(timeZone: string): void;
  /** More of the shop, written through the store's queries as a channel or an import would. */
  addConversations(count: number): void;
  /** `kind: 'image'`: a buyer's picture from a channel (the text is its placeholder; the file is the hub's). */
  addMessages(
    conversationId: string,
    messages: { id: string; sender: 'buyer' | 'agent'; text: string; createdAt: number; kind?: 'image' }[],
  ): void;
  addOrder(order: Omit<Order, 'flag' | 'memo'>): void;
  /** A team phrase, its search keys computed by the core as when it is saved. */
  addPhrase(phrase: { id: string; groupId: string; code: string; title: string; content: string; useCount: number }): void;
  /** The data folder's disk full (SQLite may grow the file no further) or not. */
  setDiskFull(full: boolean): void;
  /**
   * Makes this shop's desks members of a team as far as channels go (issue 13): an owner account
   * (`owner-1`, 店长) signs in at every new desk, and the channel methods go to a real hub core
   * signed in as its owner, as a desk of a team forwards them (core/teamCalls.ts).
   */
  channelsOnHub(): Promise<void>;
  /** Folders `exports.reveal` opened (recorded instead of starting a file manager). */
  readonly revealed: string[];
  /** What the core holds now. */
  read: {
    messages(conversationId?: string): Message[];
    conversation(id: string): ConversationSummary | undefined;
    customer(id: string): Customer | undefined;
    orders(customerId: string): Order[];
    tags(): Tag[];
    groups(): CustomerGroup[];
    phrases(agentId: string): PickerPhrase[];
    phraseGroups(agentId: string): PhraseGroup[];
    agent(id: string): Agent | undefined;
    exportsFolder(): string;
  };
  close(): void;
};

/** A shop whose data file the core found damaged at start: it answers as the worker does (core/recovery.ts). */
export type DamagedShop = {
  client(): Client;
  readonly calls: { method: MethodName; args: unknown }[];
  /** Where the damaged file was moved. */
  readonly keptAs: string;
  close(): void;
};

export type DamagedShopOptions = { now: number; damage: 'corrupt' | 'empty'; backups: ('daily' | 'migration')[] };

export type ShopFactories = { small: (options: { now: number }) => TestShop; damaged: (options: DamagedShopOptions) => DamagedShop };

let factory: ShopFactories | null = null;
const open = new Set<{ close(): void }>();

/** Installed by tests/renderer/setup.ts (a setup file of the renderer test project). */
export function provideShops(next: ShopFactories): void {
  factory = next;
}

/** The small shop's file, damaged (or emptied) after the given backups of it were taken. Closed after each test. */
export function damagedShop(options: Omit<DamagedShopOptions, 'now'>): DamagedShop {
  if (!factory) throw new Error('no real core for renderer tests: tests/renderer/setup.ts must be a setup file of the renderer project');
  const shop = factory.damaged({ ...options, now: Date.now() });
  open.add(shop);
  return shop;
}

/**
 * The small shop of the renderer tests, on the real core: agents 小美 (agent-1, at this desk) and
 * 主管-王姐 (lead-1); buyers 橙子不酸 (c1, waiting 30 s, two orders o1 and o2, one hostile-looking
 * message), 芒果布丁 (c2, waiting 4 minutes, tagged 回头客), 半夏微凉 (c3, answered); tags t1 回头客 and
 * t2 爱砍价; group g-vip; phrases r1 fh and r2 kd (team group rg1 物流), r3 hi (小美's group rg2 我的)
 * and r4 hi (王姐's own group rg-lead 我的: a personal phrase is its owner's alone).
 * Closed after each test.
 */
export function smallShop(now = Date.now()): TestShop {
  if (!factory) throw new Error('no real core for renderer tests: tests/renderer/setup.ts must be a setup file of the renderer project');
  const shop = factory.small({ now });
  open.add(shop);
  return shop;
}

/** Closes every shop a test opened (after the desks unmounted). */
export function closeShops(): void {
  for (const shop of open) shop.close();
  open.clear();
}
