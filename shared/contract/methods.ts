import { z } from 'zod';
import { MAX_IMPORT_FILE_BYTES, MAX_IMPORT_FILE_MB } from '../domain/phraseRules';
import type {
  Agent,
  ConversationSummary,
  Customer,
  CustomerGroup,
  MemoEdit,
  Message,
  Order,
  PickerPhrase,
  ReplyGroup,
  Shop,
  Tag,
} from '../domain/types';
import { REPLY_MAX_CHARS, replyLength } from '../domain/replyRules';
import { accountMethods } from './accounts';
import { exportMethods } from './exports';
import { maintenanceMethods } from './maintenance';
import { recoveryMethods } from './recovery';
import { searchMethods } from './search';
import { redLineMethods } from './redLines';
import {
  PULL_LIMIT_DEFAULT,
  PULL_LIMIT_MAX,
  PUSH_LIMIT_MAX,
  SNAPSHOT_LIMIT_DEFAULT,
  SNAPSHOT_LIMIT_MAX,
  SNAPSHOT_PARTS,
  type PullResult,
  type PushResult,
  type SnapshotPage,
} from '../sync/protocol';

/**
 * The one contract between the renderer and the core. Every method is declared here once: its name
 * (`domain.verb`), the zod schema its arguments must pass in the core, and its result type. The
 * preload, the Electron main process, the browser-mode host and the core's router are all derived
 * from this object, so a method cannot exist on one side only.
 */
type MethodSpec<A extends z.ZodType, R> = { args: A; /** phantom: carries the result type only */ result?: [R] };

function define<R>() {
  return <A extends z.ZodType>(args: A): MethodSpec<A, R> => ({ args });
}

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'an id holds letters, digits, _ and - only');
const millis = z.number().int().nonnegative();
const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb');
const shortName = (max: number) =>
  z
    .string()
    .max(max * 2)
    .refine((s) => s.trim().length > 0 && Array.from(s.trim()).length <= max, `a name has 1 to ${max} characters`);

/** The largest import file is at most this much base64. */
const MAX_IMPORT_BASE64 = Math.ceil(MAX_IMPORT_FILE_BYTES / 3) * 4 + 4;

const importArgs = z
  .object({
    fileName: z.string().min(1).max(255),
    dataBase64: z.string().max(MAX_IMPORT_BASE64 + 1024, `the file is over ${MAX_IMPORT_FILE_MB} MB`),
    encoding: z.string().max(20).optional(),
    sheet: z.string().max(100).optional(),
    scope: z.enum(['team', 'personal']).default('team'),
    mode: z.enum(['merge', 'replace']).default('merge'),
    skipInvalid: z.boolean().default(false),
    lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
  })
  .strict();

/** What an import did or would do (see src-main/services/replyImport). */
export type ImportReport = {
  fileName: string;
  format: 'xlsx' | 'csv' | 'tsv' | 'txt' | 'json' | null;
  encoding: string | null;
  delimiter: string | null;
  sheet: string | null;
  unit: 'row' | 'item';
  rows: number;
  counts: { new: number; updated: number; unchanged: number; invalid: number; deleted: number };
  problems: { row: number; column: 'group' | 'code' | 'title' | 'content' | 'scope'; columnName: string; rule: string; message: string }[];
  unknownColumns: string[];
  mode: 'merge' | 'replace';
  skipInvalid: boolean;
  outcome: 'dry_run' | 'committed' | 'stopped' | 'refused';
  error: string | null;
};

/** `timeZone`: the shop's IANA time zone, in which export days (and their defaults) are read. */
export type AppInfo = { version: string; shop: Shop; agent: Agent; demoBuyers: { enabled: boolean; intervalMs: number }; timeZone: string };
export type MessagePage = { messages: Message[]; hasMore: boolean };

export const methods = {
  /** The shop, the agent at this desk, and the app's version. */
  'app.info': define<AppInfo>()(z.object({}).strict()),
  /** Conversations for the list, newest activity first; the desk sorts and filters. */
  'conversations.list': define<ConversationSummary[]>()(
    z.object({ status: z.enum(['open', 'ended', 'all']).default('open') }).strict(),
  ),
  /** Marks every buyer message of a conversation as read by the agent. */
  'conversations.markRead': define<null>()(z.object({ conversationId: id }).strict()),
  /** A page of a conversation's messages in time order, the newest `limit` before the cursor. */
  'messages.page': define<MessagePage>()(
    z
      .object({
        conversationId: id,
        before: z.object({ createdAt: millis, id }).strict().optional(),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
  ),
  /** Sends an agent's text reply. The id is made by the caller: sending the same id twice stores it once. */
  'messages.send': define<Message>()(
    z
      .object({
        id,
        conversationId: id,
        text: z
          .string()
          .max(REPLY_MAX_CHARS * 2)
          .refine((t) => t.trim().length > 0, 'a message needs some text')
          .refine((t) => replyLength(t) <= REPLY_MAX_CHARS, `a reply holds at most ${REPLY_MAX_CHARS} characters`),
        /** Sends the buyer's order as an order card (the text is its caption). */
        orderId: id.optional(),
      })
      .strict(),
  ),
  /** One customer with tags and group. */
  'customers.get': define<Customer>()(z.object({ customerId: id }).strict()),
  /** A customer's orders, newest first. */
  'orders.listByCustomer': define<Order[]>()(z.object({ customerId: id }).strict()),
  /** Row counts per table (the CLI's `stats`, and a health view). */
  'stats.counts': define<Record<string, number>>()(z.object({}).strict()),
  /** Turns the demo buyer channel on or off and sets how often a demo buyer writes. */
  'demo.configureBuyers': define<{ enabled: boolean; intervalMs: number }>()(
    z.object({ enabled: z.boolean(), intervalMs: z.number().int().min(200).max(3_600_000).optional() }).strict(),
  ),

  // ── The desk's tools: tags, groups, remarks, order notes, quick replies, agent state ──
  /** The shop's accounts (agents, supervisors, the owner). */
  'agents.list': define<Agent[]>()(z.object({}).strict()),
  /** Changes who sits at this desk (the demo's account switch; a real sign-in later). */
  'session.switchAgent': define<AppInfo>()(z.object({ agentId: id }).strict()),
  /** Ends an open conversation (结束). */
  'conversations.end': define<null>()(z.object({ conversationId: id }).strict()),
  /** The agent's state: online (在线), busy (挂起: no new buyers), offline (离线). */
  'agents.setState': define<Agent>()(z.object({ state: z.enum(['online', 'busy', 'offline']) }).strict()),
  /** Every customer tag of the shop. */
  'tags.list': define<Tag[]>()(z.object({}).strict()),
  /** Creates a tag (the id made by the caller); a name already taken returns that tag. */
  'tags.create': define<Tag>()(z.object({ id, name: shortName(20), color: hexColor }).strict()),
  'customers.addTag': define<Customer>()(z.object({ customerId: id, tagId: id }).strict()),
  'customers.removeTag': define<Customer>()(z.object({ customerId: id, tagId: id }).strict()),
  /** Every customer group of the shop (at most 100). */
  'groups.list': define<CustomerGroup[]>()(z.object({}).strict()),
  /** Creates a customer group; a name already taken returns that group; the 101st is refused. */
  'groups.create': define<CustomerGroup>()(z.object({ id, name: shortName(20) }).strict()),
  /** Puts the customer in one group, or in none (null). */
  'customers.setGroup': define<Customer>()(z.object({ customerId: id, groupId: id.nullable() }).strict()),
  'customers.setRemark': define<Customer>()(z.object({ customerId: id, remark: z.string().max(500) }).strict()),
  /**
   * Sets the flag and/or the memo of one or more orders in one transaction. `memoMode` append puts
   * the memo after each order's own (replace, the default, sets it). A memo that would pass 1000 GBK
   * bytes is refused with `limit_exceeded` naming the orders (never cut), and no order changes.
   */
  'orders.setNotes': define<Order[]>()(
    z
      .object({
        orderIds: z.array(id).min(1).max(100),
        flag: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]).optional(),
        memo: z.string().max(2000).optional(),
        memoMode: z.enum(['replace', 'append']).optional(),
      })
      .strict(),
  ),
  /** The last 10 memo edits of an order, newest first, with who and when. */
  'orders.memoHistory': define<MemoEdit[]>()(z.object({ orderId: id }).strict()),
  /** The team's phrases and the agent's own, with precomputed search keys, for the picker. */
  'replies.forPicker': define<{ groups: ReplyGroup[]; phrases: PickerPhrase[] }>()(z.object({}).strict()),
  /** Counts one use of a phrase (often and recently used rank higher). */
  'replies.markUsed': define<PickerPhrase>()(z.object({ replyId: id }).strict()),

  // ── The phrase library (短语库) ──
  /** Creates or edits a phrase (the id made by the caller). The code is unique within its library. */
  'replies.save': define<PickerPhrase>()(
    z
      .object({
        id,
        groupId: id,
        code: z.string().max(64),
        title: z.string().max(200),
        content: z.string().max(8000),
        /** A supervisor saves a phrase holding red-line words knowingly (refused otherwise). */
        confirmRedLines: z.boolean().optional(),
      })
      .strict(),
  ),
  'replies.delete': define<null>()(z.object({ id }).strict()),
  /** Moves a phrase to a group of the same library, at a position (0 = first). */
  'replies.move': define<null>()(z.object({ id, groupId: id, index: z.number().int().min(0).max(100_000) }).strict()),
  /** Creates a phrase group, or renames one. */
  'replyGroups.save': define<ReplyGroup>()(z.object({ id, scope: z.enum(['team', 'personal']), name: z.string().max(80) }).strict()),
  /** Deletes a group with its phrases. */
  'replyGroups.delete': define<null>()(z.object({ id }).strict()),
  'replyGroups.move': define<null>()(z.object({ id, index: z.number().int().min(0).max(10_000) }).strict()),

  // ── Bulk import and export of the phrase library ──
  /** Reads a supervisor's file and reports what an import would do, writing nothing (the dry run). */
  'replies.importPreview': define<ImportReport>()(importArgs),
  /** Imports a file in one transaction (or not at all), reporting what it did. */
  'replies.importCommit': define<ImportReport>()(importArgs),
  /** The library as a file in the import's own columns: .xlsx, .csv (UTF-8 with BOM) or .json. */
  'replies.export': define<{ fileName: string; dataBase64: string }>()(z.object({ format: z.enum(['xlsx', 'csv', 'json']) }).strict()),
  ...exportMethods,
  ...recoveryMethods,
  ...accountMethods,
  ...maintenanceMethods,
  ...searchMethods,
  ...redLineMethods,

  // ── Sync (shared/sync): the replica's change feed, outbox and bootstrap ──
  /** Changes after the cursor in feed order, and the new cursor; or `reset` when the replica must rebuild. */
  'sync.pull': define<PullResult>()(
    z
      .object({
        cursor: z.number().int().nonnegative(),
        limit: z.number().int().min(1).max(PULL_LIMIT_MAX).default(PULL_LIMIT_DEFAULT),
      })
      .strict(),
  ),
  /**
   * Applies queued mutations in order, each once (a repeated id returns its first answer) in its own
   * transaction; a refused one is recorded with its reason and the next ones still apply.
   */
  'sync.push': define<PushResult>()(
    z
      .object({
        clientId: id,
        mutations: z
          .array(z.object({ mutationId: id, name: z.string().min(1).max(64), args: z.unknown() }).strict())
          .max(PUSH_LIMIT_MAX),
      })
      .strict(),
  ),
  /** One page of one part of the replica's bootstrap, keyed after `after`. */
  'sync.snapshot': define<SnapshotPage>()(
    z
      .object({
        part: z.enum(SNAPSHOT_PARTS),
        after: z.string().max(200).nullable().default(null),
        limit: z.number().int().min(1).max(SNAPSHOT_LIMIT_MAX).default(SNAPSHOT_LIMIT_DEFAULT),
      })
      .strict(),
  ),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
/** What a caller passes (defaults may be left out). */
export type ArgsIn<M extends MethodName> = z.input<Methods[M]['args']>;
/** What a handler receives, after parsing. */
export type ArgsOut<M extends MethodName> = z.output<Methods[M]['args']>;
export type ResultOf<M extends MethodName> = NonNullable<Methods[M]['result']>[0];

export const METHOD_NAMES = Object.keys(methods) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}
