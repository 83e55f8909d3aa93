import type { ContractError, ErrorCode } from '../contract/errors';
import type {
  ConversationSummary,
  Customer,
  CustomerGroup,
  Message,
  Order,
  PickerPhrase,
  PhraseGroup,
  Tag,
  TeamAgent,
} from '../domain/types';
import type { RedLineRow } from '../domain/redLines/defaults';

/**
 * The sync protocol: one shape for both tiers (renderer replica ⇄ core now, core ⇄ team hub later).
 * Nothing here knows Dexie or SQLite: the server appends to a change feed, the client applies it.
 * It imports only the contract's errors (a leaf): the contract's sync methods import this file, and
 * the mutations (which name contract methods) live in mutations.ts.
 */

/** Bumped when the wire shapes or the replica's meaning change: a replica built under another version is rebuilt. 2: the entities `reply`/`reply_group` became `phrase`/`phrase_group`, and the replica's `groups` became `customerGroups`. 3: the shop's red-line list travels as `red_line`. 4: the team's roster travels as `agent` (state, presence, maximum of open conversations). */
export const SYNC_PROTOCOL_VERSION = 4;

/** How many changes a pull returns when the client does not say (and the ceiling it may ask for). */
export const PULL_LIMIT_DEFAULT = 1000;
export const PULL_LIMIT_MAX = 5000;
/** Rows per snapshot page (the ceiling a client may ask for). */
export const SNAPSHOT_LIMIT_DEFAULT = 2000;
export const SNAPSHOT_LIMIT_MAX = 10_000;
/** Mutations per push. */
export const PUSH_LIMIT_MAX = 200;
/**
 * About this many bytes of arguments per push (a picture's base64 is up to ~7 MB): a batch ends
 * before the entry that would pass it, and always holds at least one, so a push frame stays well
 * under the socket's 32 MB.
 */
export const PUSH_BYTES_MAX = 12 * 1024 * 1024;

/** A mutation's arguments' rough size: only a picture's base64 is large enough to count. */
export function argsWeight(args: unknown): number {
  const image = (args as { image?: { base64?: unknown } } | null)?.image;
  return 512 + (typeof image?.base64 === 'string' ? image.base64.length : 0);
}

/** The longest prefix of `entries` within PUSH_BYTES_MAX of arguments (at least one entry). */
export function boundedBatch<T extends { args: unknown }>(entries: readonly T[], maxBytes = PUSH_BYTES_MAX): T[] {
  let total = 0;
  let n = 0;
  for (const e of entries) {
    total += argsWeight(e.args);
    if (n > 0 && total > maxBytes) break;
    n++;
  }
  return entries.slice(0, n);
}
/** The replica keeps at least the newest this many messages of every open conversation; older pages come from the core. */
export const MESSAGES_PER_CONVERSATION = 50;

/** What the change feed records, and the shape of each entity's row (the domain shape, so a replica applies it as it is). */
export type EntityRows = {
  /** An account of the shop as the team sees it (issue 12): state, presence at a connected desk, maximum of open conversations. */
  agent: TeamAgent;
  tag: Tag;
  customer_group: CustomerGroup;
  /** Tags travel as `customer_tag` rows; a customer row may carry them too, and the replica ignores them. */
  customer: Omit<Customer, 'tags'> & { tags?: Tag[] };
  customer_tag: {
    customerId: string;
    tagId: string;
    /** when the tag was put on (snapshot rows; feed rows carry it as the change's `at`) */ at?: number;
  };
  /** Nick, tags and group of the buyer may ride along (denormalised for the list); the replica joins its own. */
  conversation: Omit<ConversationSummary, 'customerNick' | 'customerTags' | 'customerGroupId'> &
    Partial<Pick<ConversationSummary, 'customerNick' | 'customerTags' | 'customerGroupId'>>;
  message: Message;
  /** The order with the seller's notes (flag, memo); the replica keeps the notes in their own table. */
  order: Order;
  phrase_group: PhraseGroup;
  phrase: PickerPhrase;
  /** A red-line word or exception of the shop (issue 16), for the composer's check. */
  red_line: RedLineRow;
  /** A pushed mutation was applied or rejected: the change that covers it in a replica's outbox. */
  mutation: MutationRecord;
};

export type EntityName = keyof EntityRows;

export const ENTITY_NAMES: readonly EntityName[] = [
  'agent',
  'tag',
  'customer_group',
  'customer',
  'customer_tag',
  'conversation',
  'message',
  'order',
  'phrase_group',
  'phrase',
  'red_line',
  'mutation',
];

export type ChangeOp = 'upsert' | 'delete';

/** One row of the change feed as it travels. `row` of a delete carries the key fields. */
export type Change = {
  [E in EntityName]: { seq: number; entity: E; id: string; op: ChangeOp; row: EntityRows[E]; at: number };
}[EntityName];

/** The server's record of one mutation, kept so a repeat returns the same answer. */
export type MutationRecord = {
  mutationId: string;
  clientId: string;
  name: string;
  status: 'applied' | 'rejected';
  /** Why it was refused, for the agent (rejected only). */
  error: { code: ErrorCode; message: string } | null;
  /**
   * Set when a mutation the core first applied is refused later (tier 2: the team hub said no):
   * the arguments, so the desk can show what was refused, though its outbox entry is long gone.
   */
  args?: unknown;
};

/** The answer for one pushed mutation. `seq` is where its record sits in the feed: a replica whose cursor reached it has its effect. */
export type PushOutcome = {
  mutationId: string;
  status: 'applied' | 'rejected';
  seq: number;
  error: { code: ErrorCode; message: string } | null;
  /** The handler's result (applied only), as the contract method would have returned it. */
  result?: unknown;
};

export type PushResult = {
  results: PushOutcome[];
  head: number;
  /** Why the core stopped before the end of the batch when its store could not write (disk full, read-only); the rest waits for a retry. */
  stopped?: ContractError;
};

export type PullResult =
  | { kind: 'changes'; feedId: string; changes: Change[]; cursor: number; head: number }
  /** The cursor is older than the feed keeps, or from another history: rebuild from a snapshot. */
  | { kind: 'reset'; feedId: string; reason: 'expired' | 'ahead'; head: number };

/** The snapshot comes in parts, one per entity, each paged by key. */
export const SNAPSHOT_PARTS = [
  'agent',
  'tag',
  'customer_group',
  'customer',
  'customer_tag',
  'order',
  'phrase_group',
  'phrase',
  'red_line',
  'conversation',
  'message',
] as const;
export type SnapshotPart = (typeof SNAPSHOT_PARTS)[number];

/** The parts that hold buyers' rows, which a snapshot may read for some buyers only (`SnapshotScope`). */
export const BUYER_PARTS = ['customer', 'customer_tag', 'order'] as const satisfies readonly SnapshotPart[];

/**
 * Which buyers the buyers' parts of a snapshot hold: every one (`all`: a team desk's store, from the
 * hub), those with an open conversation (`open`: a desk's replica starts with what its first screen
 * needs, not the shop's whole customer base), or the named ones (a buyer whose conversation reaches
 * the replica later, fetched on demand). Other parts ignore it.
 */
export type SnapshotScope = 'all' | 'open' | readonly string[];

/** At most this many buyers named in one scoped snapshot request. */
export const SNAPSHOT_SCOPE_IDS_MAX = 200;

export type SnapshotRow = { [E in SnapshotPart]: { entity: E; id: string; row: EntityRows[E] } }[SnapshotPart];

export type SnapshotPage = {
  feedId: string;
  /** The feed's head when this page was read. A client starts pulling from the head of its first page. */
  head: number;
  protocol: number;
  rows: SnapshotRow[];
  /** Pass as `after` for the next page of the same part; null when the part is done. */
  next: string | null;
};
