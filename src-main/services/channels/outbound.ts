import type { WidgetMessage } from '../../../shared/channels/widgetProtocol';
import type { ConversationSummary, Message } from '../../../shared/domain/types';
import type { Store } from '../../store';
import type { ChannelBuyerRow } from '../../store/channels';
import type { WebhookService } from './webhooks';
import type { WidgetService } from './widget';
import type { ImageLinks } from './imageLinks';

/** What the core tells the hub's shell (never a desk): a widget visitor's new message, an ended chat, deliveries due. */
export type ChannelEvent =
  | { type: 'widget.message'; visitorId: string; message: WidgetMessage }
  | { type: 'widget.ended'; visitorId: string }
  | { type: 'webhooks.due' };

const CURSOR_KEY = 'channels.feedCursor';
const PAGE = 500;

/** A feed row the reader acts on, parsed. */
type PageRow = { seq: number; entity: 'message'; value: Message } | { seq: number; entity: 'conversation'; value: ConversationSummary };

/**
 * The reads one page of the feed needs (its conversations' buyers, the buyers' channel rows, what was
 * seen of its conversations), each kind in one statement for the whole page, and the repeated ones
 * (a buyer's nick, an agent's nick, the webhook endpoints) once for the page: nothing the page
 * writes (seen rows, deliveries, the cursor) changes them but the seen rows, which the page keeps
 * and writes back once (`flushSeen`), so the answers are the ones reading them row by row gives,
 * with a few statements a page instead of several a row (each a round trip to PostgreSQL, issue 14).
 */
function pageReads(store: Store, webhooks: WebhookService, rows: readonly PageRow[]) {
  const q = store.channels;
  const once = <K, V>(read: (key: K) => V) => {
    const seen = new Map<K, V>();
    return (key: K): V => {
      if (seen.has(key)) return seen.get(key) as V;
      const value = read(key);
      seen.set(key, value);
      return value;
    };
  };
  const customers = store.conversations.customersOf([
    ...new Set(rows.flatMap((r) => (r.entity === 'message' ? [r.value.conversationId] : []))),
  ]);
  const buyers = q.buyers.byCustomers([
    ...new Set([...customers.values(), ...rows.flatMap((r) => (r.entity === 'conversation' ? [r.value.customerId] : []))]),
  ]);
  const seen = q.seen.getMany([...new Set(rows.flatMap((r) => (r.entity === 'conversation' ? [r.value.id] : [])))]);
  const changed = new Set<string>();
  return {
    hooks: webhooks.batch(),
    customerOf: (conversationId: string) => customers.get(conversationId),
    buyerRow: (customerId: string) => buyers.get(customerId),
    nick: once((customerId: string) => store.customers.get(customerId)?.nick ?? ''),
    agentNick: once((agentId: string) => store.agents.get(agentId)?.nick ?? null),
    seen: (conversationId: string) => seen.get(conversationId),
    setSeen(conversationId: string, agentId: string | null, status: string) {
      seen.set(conversationId, { agent_id: agentId, status });
      changed.add(conversationId);
    },
    /** The page's seen rows as it left them, each once. */
    flushSeen() {
      q.seen.setMany([...changed].map((id) => [id, seen.get(id)!.agent_id, seen.get(id)!.status] as const));
    },
  };
}

type PageReads = ReturnType<typeof pageReads>;

/** A buyer as a webhook names them. */
function buyerOf(reads: PageReads, customerId: string, row: ChannelBuyerRow | undefined) {
  return {
    id: customerId,
    nick: reads.nick(customerId),
    channel: row?.channel ?? null,
    source: row?.source ?? null,
    externalId: row?.channel === 'api' ? row.external_id : null,
  };
}

/**
 * The hub learns what agents did from its own change feed: it reads the message and conversation
 * rows past its cursor, and in one transaction with the cursor writes the webhook deliveries they
 * call for (message created; conversation assigned, transferred, ended), so none is lost or written
 * twice across a restart. That transaction is the one that wrote the rows: each of this connection's
 * write transactions reads them just before its commit (`beforeCommit`), so a change, its deliveries
 * and the cursor share one commit; the rows other connections or processes write are read after
 * their commit is heard (`schedule`). A widget visitor's new messages go to the shell as events,
 * for the visitor's socket (a widget that missed one catches up on reconnect by asking for what came
 * after its newest message).
 */
export function channelOutbound(deps: {
  store: Store;
  webhooks: WebhookService;
  widget: WidgetService;
  now: () => number;
  emit: (events: ChannelEvent[]) => void;
  links: ImageLinks;
  /** The hub's public address (the widget's setting), for absolute picture links; '' when not set. */
  publicUrl: () => string;
  /** Whether an agent id is a bridge's (a reply a bridge posted: its own receiver may skip it). */
  isBridge: (agentId: string) => boolean;
  log?: ((message: string, error?: unknown) => void) | undefined;
}) {
  const { store, webhooks, widget } = deps;

  /** A picture message's file as a receiver can fetch it: a signed, expiring link. */
  function pictureOf(m: Message) {
    if (m.kind !== 'image') return undefined;
    const row = q.images.get(m.id);
    if (!row) return undefined;
    const link = deps.links.path(m.id);
    const base = deps.publicUrl().replace(/\/+$/, '');
    return {
      mime: row.mime,
      width: row.width,
      height: row.height,
      bytes: row.bytes,
      url: base ? `${base}${link.path}` : null,
      path: link.path,
      expiresAt: link.expiresAt,
    };
  }
  const q = store.channels;
  let scheduled = false;
  let running = false;
  /** Past rows of other entities (phrases, tags…): not stored, since nothing depends on it (a restart reads them again, finding nothing). */
  let skipped = 0;

  function conversationChange(c: ConversationSummary, at: number, events: ChannelEvent[], mine: boolean, reads: PageReads): number {
    if (!mine) {
      // Another hub process wrote this row's deliveries; a widget visitor here still hears the chat ended.
      const row = c.status === 'ended' ? reads.buyerRow(c.customerId) : undefined;
      if (row?.channel === 'widget') events.push({ type: 'widget.ended', visitorId: row.external_id });
      return 0;
    }
    const seen = reads.seen(c.id);
    let written = 0;
    const buyerRow = reads.buyerRow(c.customerId);
    const data = () => ({ conversationId: c.id, agentId: c.agentId, agentNick: c.agentId ? reads.agentNick(c.agentId) : null });
    const previous = seen?.agent_id ?? null;
    if (c.agentId !== previous && c.agentId !== null) {
      written += reads.hooks.enqueue(
        previous === null ? 'conversation.assigned' : 'conversation.transferred',
        () => ({
          ...data(),
          fromAgentId: previous,
          buyer: buyerOf(reads, c.customerId, buyerRow),
        }),
        at,
      );
    }
    if (c.status === 'ended' && seen?.status !== 'ended') {
      written += reads.hooks.enqueue('conversation.ended', () => ({ ...data(), buyer: buyerOf(reads, c.customerId, buyerRow) }), at);
      if (buyerRow?.channel === 'widget') events.push({ type: 'widget.ended', visitorId: buyerRow.external_id });
    }
    if (!seen || seen.agent_id !== c.agentId || seen.status !== c.status) reads.setSeen(c.id, c.agentId, c.status);
    return written;
  }

  function messageChange(m: Message, at: number, events: ChannelEvent[], mine: boolean, reads: PageReads): number {
    const customerId = reads.customerOf(m.conversationId);
    if (customerId === undefined) return 0;
    const buyerRow = reads.buyerRow(customerId);
    if (buyerRow?.channel === 'widget') {
      events.push({ type: 'widget.message', visitorId: buyerRow.external_id, message: widget.toWidget([m], buyerRow.external_id)[0]! });
    }
    if (!mine) return 0;
    return reads.hooks.enqueue(
      'message.created',
      () => ({
        conversationId: m.conversationId,
        buyer: buyerOf(reads, customerId, buyerRow),
        message: {
          id: m.id,
          sender: m.sender,
          kind: m.kind,
          text: m.text,
          agentId: m.agentId,
          agentNick: m.agentId ? reads.agentNick(m.agentId) : null,
          createdAt: m.createdAt,
          // Who wrote it: the buyer, an agent at a desk, or a bridge through the API (its own reply coming back).
          origin: m.sender === 'buyer' ? 'buyer' : m.agentId && deps.isBridge(m.agentId) ? 'bridge' : 'desk',
          ...(m.kind === 'image' ? { image: pictureOf(m) ?? null } : {}),
        },
      }),
      at,
    );
  }

  /**
   * This process's own place in the feed, for its widget visitors' sockets. The stored cursor is the
   * shop's, for the webhook deliveries: several hub processes on one database each read every row for
   * their own visitors, and the one whose transaction (holding the store's write lock) finds a row
   * past the stored cursor writes its deliveries, so each is written once, whichever process is first.
   */
  let local: number | null = null;

  /**
   * One page of the feed past this process's place, inside a write transaction: the deliveries it
   * calls for and the stored cursor are written there. Returns the events for after the commit, and
   * where this process then stands (`skipTo`: only other entities' rows, or none, up to that head).
   */
  function page(from: number): { events: ChannelEvent[]; last: number; full: boolean } | { skipTo: number } {
    const head = store.changes.head();
    const rows = q.feedAfter(from, PAGE);
    if (rows.length === 0) return { skipTo: head };
    const events: ChannelEvent[] = [];
    // Read under the write lock: another process may have written these rows' deliveries meanwhile.
    const stored = store.settings.get<number | null>(CURSOR_KEY, null) ?? 0;
    const parsed = rows.flatMap((r): PageRow[] =>
      r.op !== 'upsert' || r.row === null
        ? []
        : r.entity === 'message'
          ? [{ seq: r.seq, entity: 'message', value: JSON.parse(r.row) as Message }]
          : [{ seq: r.seq, entity: 'conversation', value: JSON.parse(r.row) as ConversationSummary }],
    );
    const reads = pageReads(store, webhooks, parsed);
    for (const r of parsed) {
      const at = deps.now();
      const mine = r.seq > stored;
      if (r.entity === 'message') messageChange(r.value, at, events, mine, reads);
      else conversationChange(r.value, at, events, mine, reads);
    }
    reads.flushSeen();
    const last = rows[rows.length - 1]!.seq;
    if (last > stored) store.settings.set(CURSOR_KEY, last);
    return { events, last, full: rows.length === PAGE };
  }

  function run(): void {
    // A read scheduled by the last commit before the store closed finds nothing to do.
    if (running || !store.db.open) return;
    running = true;
    try {
      read();
    } finally {
      running = false;
      // Deliveries written by this read or by any other transaction (a ping, a new buyer, a retry).
      if (webhooks.takeWritten()) deps.emit([{ type: 'webhooks.due' }]);
    }
  }

  function read(): void {
    for (;;) {
      if (local === null) {
        const stored = store.settings.get<number | null>(CURSOR_KEY, null);
        if (stored === null) {
          // First start with channels: what came before is not news.
          store.tx(() => {
            if (store.settings.get<number | null>(CURSOR_KEY, null) === null) store.settings.set(CURSOR_KEY, store.changes.head());
          });
          continue;
        }
        local = stored;
      }
      const from = Math.max(local, skipped);
      // Nothing of ours past this process's place: no transaction (the usual case, since each of this
      // connection's transactions reads its own rows before it commits, see `beforeCommit`).
      if (q.feedAfter(from, 1).length === 0) {
        skipped = Math.max(skipped, store.changes.head());
        return;
      }
      const result = store.tx(() => page(from));
      if ('skipTo' in result) {
        skipped = Math.max(skipped, result.skipTo);
        return;
      }
      local = result.last;
      if (result.events.length > 0) deps.emit(result.events);
      if (!result.full) return;
    }
  }

  /** What this connection's transaction read of the feed before its commit, for after it (see `beforeCommit`). */
  let pending: { local: number; skipped: number; events: ChannelEvent[]; more: boolean } | null = null;
  /** Pages of the feed one transaction reads before its commit; a larger write's rest is read after it. */
  const PAGES_IN_TRANSACTION = 4;

  /**
   * Inside each of this connection's write transactions, just before its commit: the feed rows it
   * (and anything before it) wrote are read there, and their deliveries and the stored cursor go into
   * the same commit. So a buyer's message and its `message.created` delivery land together, and the
   * cursor costs no commit (and no fsync) of its own. Nothing is told outside before the commit (see
   * `committed`). A failure here is kept out of the transaction (its own savepoint) and left to the
   * read after the commit.
   */
  function beforeCommit(): void {
    pending = null;
    // The read's own transactions (after a commit, or at start) do their own reading.
    if (running || local === null || !store.db.open) return;
    let at = Math.max(local, skipped);
    let skip = skipped;
    const events: ChannelEvent[] = [];
    let more = false;
    try {
      store.tx(() => {
        for (let n = 0; n < PAGES_IN_TRANSACTION; n++) {
          const result = page(at);
          if ('skipTo' in result) {
            skip = result.skipTo;
            return;
          }
          events.push(...result.events);
          at = result.last;
          if (!result.full) return;
        }
        more = true;
      });
    } catch (error) {
      deps.log?.('the channels could not read the feed before a commit (read again after it)', error);
      return;
    }
    pending = { local: at, skipped: skip, events, more };
  }

  /** After each of this connection's commits: what its transaction read takes effect, or the feed is read now. */
  function committed(): void {
    const done = pending;
    pending = null;
    if (done === null || done.more) {
      schedule();
      if (done === null) return;
    }
    local = done.local;
    skipped = Math.max(skipped, done.skipped);
    if (done.events.length > 0) deps.emit(done.events);
    if (webhooks.takeWritten()) deps.emit([{ type: 'webhooks.due' }]);
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      // The core closed in the same turn as the commit (a last write on the way out): nothing to read.
      if (!store.db.open) return;
      run();
    });
  }

  return {
    /** Reads the feed now (at start, before anything is compacted away). */
    run,
    /** Reads the feed a microtask later (another process's or connection's commits heard; one read for several). */
    schedule,
    /** For `store.beforeCommit`: this connection's transaction reads its own feed rows before it commits. */
    beforeCommit,
    /** For `store.onCommit`: after this connection's commit. */
    committed,
  };
}
