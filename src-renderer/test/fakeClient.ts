import { fail, ok, type ContractError, type Result } from '../../shared/contract/errors';
import type { EventName, Events } from '../../shared/contract/events';
import type { ExportJob, ExportPreview } from '../../shared/contract/logExport';
import type { AppInfo, ArgsIn, MethodName, ResultOf } from '../../shared/contract/methods';
import type { ConversationSummary, Customer, CustomerGroup, MemoEdit, Message, Order, PickerPhrase, PhraseGroup, Tag } from '../../shared/domain/types';
import { memoAfter } from '../../shared/domain/gbk';
import type { RedLineWord } from '../../shared/contract/redLines';
import { DEFAULT_RED_LINES, DEFAULT_RED_LINE_EXCEPTIONS, type RedLineCategory } from '../../shared/domain/redLines/defaults';
import { compileRedLines } from '../../shared/domain/redLines/matcher';
import { wordKey } from '../../shared/domain/redLines/normalize';
import { isMutationName, type MutationName } from '../../shared/sync/mutations';
import { MESSAGES_PER_CONVERSATION, SYNC_PROTOCOL_VERSION, type Change, type EntityName, type PushOutcome, type SnapshotPart, type SnapshotRow } from '../../shared/sync/protocol';
import type { Mutation } from '../../shared/sync/mutations';
import type { Client, ConnectionState } from '../ipc/client';

type Session = { agentId?: string };

/**
 * An in-memory core for renderer tests: just enough of the contract for the desk, with events,
 * a switchable connection, and hooks to make a call fail. Its change feed is found by comparing its
 * arrays with what it last recorded (so a test may change them directly, then `commit()`), and it
 * takes pushed mutations through the same handlers as direct calls.
 */
export class FakeCore {
  conversations: ConversationSummary[] = [];
  messages: Message[] = [];
  customers: Customer[] = [];
  orders: Order[] = [];
  tags: Tag[] = [];
  /** Export jobs whose folder the desk asked to open. */
  revealed: string[] = [];
  /** Export jobs as logExport.list answers; logExport.start adds a running one (null: the save dialog was closed). */
  exportJobs: ExportJob[] = [];
  exportStartAnswer: 'start' | 'dialog-closed' = 'start';
  exportPreview: ExportPreview = { messages: 20_000, conversations: 120, fromMs: 0, toMs: 0, timeZone: 'Asia/Shanghai' };
  customerGroups: CustomerGroup[] = [];
  phraseGroups: PhraseGroup[] = [];
  phrases: PickerPhrase[] = [];
  memoHistory = new Map<string, MemoEdit[]>();
  /** The shop's red lines (starts as the shipped list), and every catch the desk reported. */
  redLineWords: RedLineWord[] = DEFAULT_RED_LINES.map((w) => ({ ...w, caughtSent: 0, caughtStopped: 0, lastCaughtAt: null }));
  redLineExceptions: string[] = [...DEFAULT_RED_LINE_EXCEPTIONS];
  agents: AppInfo['agent'][] = [
    { id: 'agent-1', nick: '小美', role: 'agent', state: 'online' },
    { id: 'lead-1', nick: '主管-王姐', role: 'supervisor', state: 'online' },
  ];
  calls: { method: MethodName; args: unknown }[] = [];
  /** Makes the next calls of a method fail with this result (until cleared). */
  failures = new Map<MethodName, Result<never>>();
  /** Makes pushed mutations of a name be refused with this error (until cleared). */
  refusals = new Map<MutationName, ContractError>();
  /** Every mutation pushed, repeats included, in arrival order. */
  pushed: Mutation[] = [];
  feed: Change[] = [];
  private outcomes = new Map<string, PushOutcome & { clientId: string }>();
  private recorded = new Map<string, string>();
  private seq = 0;
  readonly feedId = 'fake-feed';
  private listeners = new Map<EventName, Set<(p: never) => void>>();
  private stateListeners = new Set<(s: ConnectionState) => void>();
  private state: ConnectionState = 'open';

  info: AppInfo = {
    version: 'test',
    shop: { id: 'shop', name: '测试小店' },
    agent: { id: 'agent-1', nick: '小美', role: 'agent', state: 'online' },
    demoBuyers: { enabled: false, intervalMs: 20_000 },
    timeZone: 'Asia/Shanghai',
  };

  emit<E extends EventName>(name: E, payload: Events[E]) {
    for (const l of [...(this.listeners.get(name) ?? [])]) (l as (p: Events[E]) => void)(payload);
  }

  setConnection(state: ConnectionState) {
    this.state = state;
    for (const l of [...this.stateListeners]) l(state);
  }

  /** Args of the pushed mutations of one name (repeats included). */
  mutationArgs<A = Record<string, unknown>>(name: MutationName): A[] {
    return this.pushed.filter((m) => m.name === name).map((m) => m.args as A);
  }

  /** Every row the feed carries, by entity and id, as the fake holds it now. */
  private rows(): Map<string, { entity: EntityName; id: string; row: unknown }> {
    const out = new Map<string, { entity: EntityName; id: string; row: unknown }>();
    const add = (entity: EntityName, id: string, row: unknown) => out.set(`${entity}|${id}`, { entity, id, row });
    for (const t of this.tags) add('tag', t.id, t);
    for (const g of this.customerGroups) add('customer_group', g.id, g);
    for (const c of this.customers) {
      const { tags, ...rest } = c;
      add('customer', c.id, rest);
      for (const t of tags) add('customer_tag', `${c.id}:${t.id}`, { customerId: c.id, tagId: t.id });
    }
    for (const c of this.conversations) add('conversation', c.id, c);
    for (const m of this.messages) add('message', m.id, m);
    for (const o of this.orders) add('order', o.id, o);
    for (const g of this.phraseGroups) add('phrase_group', g.id, g);
    for (const p of this.phrases) add('phrase', p.id, p);
    // The red-line list as the core's feed carries it (catch counts stay out of it).
    this.redLineWords.forEach((w, sort) => add('red_line', `w:${wordKey(w.word)}`, { id: `w:${wordKey(w.word)}`, kind: 'word', text: w.word, category: w.category, sort }));
    this.redLineExceptions.forEach((e, sort) => add('red_line', `x:${wordKey(e)}`, { id: `x:${wordKey(e)}`, kind: 'exception', text: e, category: null, sort }));
    return out;
  }

  /** Records in the feed whatever changed since the last commit, and pokes the desks. */
  commit(): void {
    const now = this.rows();
    const before = this.seq;
    for (const [key, r] of now) {
      const text = JSON.stringify(r.row);
      if (this.recorded.get(key) === text) continue;
      this.recorded.set(key, text);
      this.feed.push({ seq: ++this.seq, entity: r.entity, id: r.id, op: 'upsert', row: JSON.parse(text), at: Date.now() } as Change);
    }
    for (const key of [...this.recorded.keys()]) {
      if (now.has(key)) continue;
      const [entity, id] = key.split('|') as [EntityName, string];
      const row = JSON.parse(this.recorded.get(key)!) as unknown;
      this.recorded.delete(key);
      this.feed.push({ seq: ++this.seq, entity, id, op: 'delete', row, at: Date.now() } as Change);
    }
    if (this.seq > before) this.emit('sync.poked', { head: this.seq });
  }

  private push(clientId: string, mutations: Mutation[], session: Session): Result<unknown> {
    const results = mutations.map((m): PushOutcome => {
      this.pushed.push(m);
      const known = this.outcomes.get(m.mutationId);
      // As the core: another client's id is refused, never answered with that client's outcome.
      if (known && known.clientId !== clientId) return { mutationId: m.mutationId, status: 'rejected' as const, seq: this.seq, error: { code: 'conflict' as const, message: 'mutation id used by another client' } };
      if (known) {
        const { clientId: _owner, ...outcome } = known;
        return outcome;
      }
      const refusal = isMutationName(m.name) ? this.refusals.get(m.name) : { code: 'unknown_method' as const, message: m.name };
      const result = refusal ? fail(refusal.code, refusal.message) : this.handle(m.name as MethodName, (m.args ?? {}) as Record<string, unknown>, session);
      this.commit();
      const error = result.ok ? null : { code: result.error.code, message: result.error.message };
      const status = result.ok ? ('applied' as const) : ('rejected' as const);
      this.feed.push({ seq: ++this.seq, entity: 'mutation', id: m.mutationId, op: 'upsert', row: { mutationId: m.mutationId, clientId, name: m.name, status, error }, at: Date.now() });
      const outcome: PushOutcome = { mutationId: m.mutationId, status, seq: this.seq, error, ...(result.ok ? { result: result.value } : {}) };
      this.outcomes.set(m.mutationId, { ...outcome, clientId });
      this.emit('sync.poked', { head: this.seq });
      return outcome;
    });
    return ok({ results, head: this.seq });
  }

  private snapshot(part: SnapshotPart): Result<unknown> {
    this.commit();
    let rows: SnapshotRow[] = [];
    for (const r of this.rows().values()) if (r.entity === part) rows.push(r as SnapshotRow);
    if (part === 'message') {
      // The newest page of each conversation, as the core sends it.
      const newest = new Set<string>();
      for (const c of this.conversations) {
        const of = this.messages.filter((m) => m.conversationId === c.id).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
        for (const m of of.slice(-MESSAGES_PER_CONVERSATION)) newest.add(m.id);
      }
      rows = rows.filter((r) => newest.has(r.id));
    }
    return ok({ feedId: this.feedId, head: this.seq, protocol: SYNC_PROTOCOL_VERSION, rows, next: null });
  }

  /** A buyer writes: stored, then the same events the real core sends. */
  buyerWrites(conversationId: string, text: string, at = Date.now()) {
    const message: Message = { id: `m-${this.messages.length + 1}`, conversationId, sender: 'buyer', agentId: null, kind: 'text', text, orderId: null, createdAt: at };
    this.messages.push(message);
    const c = this.conversations.find((x) => x.id === conversationId);
    if (c) {
      c.lastMessagePreview = text;
      c.lastMessageAt = at;
      c.unreadCount += 1;
      c.waitingSince ??= at;
    }
    this.commit();
    return message;
  }

  /** The agent signed in on a client (each client is its own connection, as with the real core). */
  private agentOf(session: Session): AppInfo['agent'] {
    const id = (session.agentId ??= this.info.agent.id);
    if (id === this.info.agent.id) return this.info.agent;
    return this.agents.find((a) => a.id === id) ?? this.info.agent;
  }

  private handle(method: MethodName, args: Record<string, unknown>, session: Session): Result<unknown> {
    switch (method) {
      case 'sync.pull': {
        this.commit();
        const cursor = args.cursor as number;
        const limit = (args.limit as number | undefined) ?? 1000;
        const changes = this.feed.filter((c) => c.seq > cursor).slice(0, limit);
        const last = changes[changes.length - 1]?.seq ?? cursor;
        return ok({ kind: 'changes', feedId: this.feedId, changes, cursor: changes.length < limit ? this.seq : last, head: this.seq });
      }
      case 'sync.push':
        return this.push(args.clientId as string, args.mutations as Mutation[], session);
      case 'sync.snapshot':
        return this.snapshot(args.part as SnapshotPart);
      case 'app.info':
        return ok({ ...this.info, agent: { ...this.agentOf(session) } });
      case 'recovery.status':
        return ok({ state: 'ready' });
      case 'conversations.list':
        return ok(this.conversations.map((c) => ({ ...c })));
      case 'conversations.markRead': {
        const c = this.conversations.find((x) => x.id === args.conversationId);
        if (c) c.unreadCount = 0;
        return ok(null);
      }
      case 'messages.page': {
        const all = this.messages
          .filter((m) => m.conversationId === args.conversationId)
          .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
        const before = args.before as { createdAt: number; id: string } | undefined;
        const older = before ? all.filter((m) => m.createdAt < before.createdAt || (m.createdAt === before.createdAt && m.id < before.id)) : all;
        const limit = (args.limit as number | undefined) ?? 50;
        return ok({ messages: older.slice(-limit), hasMore: older.length > limit });
      }
      case 'messages.search': {
        // Substring search over the fake's messages, newest first, with the contract's ranges.
        const q = String(args.q).trim().toLowerCase();
        const hits = this.messages
          .filter((m) => m.text.toLowerCase().includes(q) && (args.direction === undefined || m.sender === args.direction))
          .sort((a, b) => b.createdAt - a.createdAt)
          .map((m) => {
            const c = this.conversations.find((x) => x.id === m.conversationId);
            const at = m.text.toLowerCase().indexOf(q);
            return {
              messageId: m.id, conversationId: m.conversationId, customerId: c?.customerId ?? '', customerNick: c?.customerNick ?? '',
              agentId: m.agentId, agentNick: null, sender: m.sender, kind: m.kind, createdAt: m.createdAt, text: m.text,
              clippedStart: false, clippedEnd: false, ranges: [[at, at + q.length]],
            };
          });
        return ok({ hits, next: null, total: hits.length, totalBound: 'exact' });
      }
      case 'messages.around': {
        const all = this.messages.filter((m) => m.conversationId === args.conversationId).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
        if (!all.some((m) => m.id === args.messageId)) return fail('not_found', 'no such message');
        return ok({ messages: all, hasOlder: false, hasNewer: false });
      }
      case 'messages.send': {
        const existing = this.messages.find((m) => m.id === args.id);
        if (existing) return ok(existing);
        const message: Message = {
          id: args.id as string,
          conversationId: args.conversationId as string,
          sender: 'agent',
          agentId: this.agentOf(session).id,
          kind: args.orderId ? 'order_card' : 'text',
          text: args.text as string,
          orderId: (args.orderId as string | undefined) ?? null,
          createdAt: Date.now(),
        };
        this.messages.push(message);
        const c = this.conversations.find((x) => x.id === message.conversationId);
        if (c) {
          c.waitingSince = null;
          c.lastMessagePreview = message.text;
        }
        return ok(message);
      }
      case 'customers.get': {
        const c = this.customers.find((x) => x.id === args.customerId);
        return c ? ok(c) : fail('not_found', 'no such customer');
      }
      case 'orders.listByCustomer':
        return ok(this.orders.filter((o) => o.customerId === args.customerId));
      case 'phrases.forPicker':
        return ok({ groups: this.phraseGroups.map((g) => ({ ...g })), phrases: this.phrases.map((p) => ({ ...p })) });
      case 'phrases.markUsed': {
        const p = this.phrases.find((x) => x.id === args.phraseId);
        if (!p) return fail('not_found', 'no phrase');
        p.useCount += 1;
        p.lastUsedAt = Date.now();
        return ok({ ...p });
      }
      case 'redLines.list':
        return ok({ words: this.redLineWords.map((w) => ({ ...w })), exceptions: [...this.redLineExceptions] });
      case 'redLines.save': {
        if (!['supervisor', 'owner'].includes(this.agentOf(session).role)) return fail('unauthorized', 'leads only');
        const old = new Map(this.redLineWords.map((w) => [wordKey(w.word), w]));
        this.redLineWords = (args.words as { word: string; category: RedLineCategory }[]).map((w) => ({ caughtSent: 0, caughtStopped: 0, lastCaughtAt: null, ...old.get(wordKey(w.word)), ...w }));
        this.redLineExceptions = [...(args.exceptions as string[])];
        return ok({ words: this.redLineWords.map((w) => ({ ...w })), exceptions: [...this.redLineExceptions] });
      }
      case 'redLines.recordCatches': {
        const keys = new Set((args.words as string[]).map(wordKey));
        for (const w of this.redLineWords) {
          if (!keys.has(wordKey(w.word))) continue;
          if (args.outcome === 'sent') w.caughtSent += 1;
          else w.caughtStopped += 1;
          w.lastCaughtAt = Date.now();
        }
        return ok(null);
      }
      case 'phrases.save': {
        const caught = [...new Set([args.title as string, args.content as string].flatMap((text) => compileRedLines(this.redLineWords, this.redLineExceptions).find(text).map((m) => m.word)))];
        if (caught.length > 0 && !(args.confirmRedLines && ['supervisor', 'owner'].includes(this.agentOf(session).role))) {
          return fail('conflict', `red lines: ${caught.join(', ')}`, { redLines: caught });
        }
        const code = args.code as string;
        const group = this.phraseGroups.find((g) => g.id === args.groupId);
        if (!group) return fail('not_found', 'no group');
        if (code && this.phrases.some((p) => p.id !== args.id && p.scope === group.scope && p.code === code)) {
          return fail('conflict', 'code taken', { problems: [{ field: 'code', rule: 'taken' }] });
        }
        const existing = this.phrases.find((p) => p.id === args.id);
        const saved: PickerPhrase = {
          id: args.id as string, scope: group.scope, groupId: group.id, code, title: args.title as string, content: args.content as string,
          searchKeys: `${code} ${args.title as string} ${args.content as string}`, useCount: existing?.useCount ?? 0, lastUsedAt: existing?.lastUsedAt ?? null,
          sort: existing?.sort ?? this.phrases.filter((p) => p.groupId === group.id).length,
        };
        this.phrases = [...this.phrases.filter((p) => p.id !== saved.id), saved];
        return ok(saved);
      }
      case 'phrases.delete':
        this.phrases = this.phrases.filter((p) => p.id !== args.id);
        return ok(null);
      case 'phrases.move': {
        const moving = this.phrases.find((p) => p.id === args.id)!;
        const others = this.phrases.filter((p) => p.groupId === args.groupId && p.id !== moving.id).sort((a, b) => a.sort - b.sort);
        others.splice(args.index as number, 0, moving);
        others.forEach((p, i) => Object.assign(p, { sort: i, groupId: args.groupId }));
        return ok(null);
      }
      case 'phraseGroups.save': {
        const existing = this.phraseGroups.find((g) => g.id === args.id);
        if (existing) existing.name = args.name as string;
        else this.phraseGroups.push({ id: args.id as string, scope: args.scope as PhraseGroup['scope'], name: args.name as string, sort: this.phraseGroups.length });
        return ok(this.phraseGroups.find((g) => g.id === args.id)!);
      }
      case 'phraseGroups.delete':
        this.phraseGroups = this.phraseGroups.filter((g) => g.id !== args.id);
        this.phrases = this.phrases.filter((p) => p.groupId !== args.id);
        return ok(null);
      case 'tags.list':
        return ok(this.tags);
      case 'tags.create': {
        const tag = this.tags.find((x) => x.name === args.name) ?? { id: args.id as string, name: args.name as string, color: args.color as string };
        if (!this.tags.includes(tag)) this.tags.push(tag);
        return ok(tag);
      }
      case 'customers.addTag':
      case 'customers.removeTag': {
        const c = this.customers.find((x) => x.id === args.customerId);
        const tag = this.tags.find((x) => x.id === args.tagId);
        if (!c || !tag) return fail('not_found', 'no such customer or tag');
        c.tags = method === 'customers.addTag' ? [...c.tags.filter((x) => x.id !== tag.id), tag] : c.tags.filter((x) => x.id !== tag.id);
        for (const conv of this.conversations) if (conv.customerId === c.id) conv.customerTags = c.tags;
        return ok({ ...c });
      }
      case 'customerGroups.list':
        return ok(this.customerGroups);
      case 'customerGroups.create': {
        const g = this.customerGroups.find((x) => x.name === args.name) ?? { id: args.id as string, name: args.name as string };
        if (!this.customerGroups.includes(g)) this.customerGroups.push(g);
        return ok(g);
      }
      case 'customers.setGroup': {
        const c = this.customers.find((x) => x.id === args.customerId);
        if (!c) return fail('not_found', 'no such customer');
        c.groupId = args.groupId as string | null;
        for (const conv of this.conversations) if (conv.customerId === c.id) conv.customerGroupId = c.groupId;
        return ok({ ...c });
      }
      case 'customers.setRemark': {
        const c = this.customers.find((x) => x.id === args.customerId);
        if (!c) return fail('not_found', 'no such customer');
        c.remark = args.remark as string;
        return ok({ ...c });
      }
      case 'orders.setNotes': {
        const ids = args.orderIds as string[];
        const given = args.memo as string | undefined;
        const mode = args.memoMode as 'replace' | 'append' | undefined;
        const memoOf = (o: Order) => (given === undefined ? undefined : memoAfter(o.memo, given, mode));
        if (ids.some((id) => { const m = memoOf(this.orders.find((x) => x.id === id)!); return m !== undefined && gbkBytes(m) > 1000; })) return fail('limit_exceeded', 'memo too long');
        const updated = ids.map((id) => {
          const o = this.orders.find((x) => x.id === id)!;
          const memo = memoOf(o);
          if (memo !== undefined && memo !== o.memo) {
            const list = this.memoHistory.get(id) ?? [];
            list.unshift({ id: `h${list.length}`, oldMemo: o.memo, newMemo: memo, at: Date.now(), authorId: this.agentOf(session).id, authorNick: this.agentOf(session).nick });
            this.memoHistory.set(id, list.slice(0, 10));
          }
          if (args.flag !== undefined) o.flag = args.flag as Order['flag'];
          if (memo !== undefined) o.memo = memo;
          return { ...o };
        });
        return ok(updated);
      }
      case 'orders.memoHistory':
        return ok(this.memoHistory.get(args.orderId as string) ?? []);
      case 'agents.list':
        return ok(this.agents);
      case 'session.switchAgent': {
        const agent = this.agents.find((a) => a.id === args.agentId);
        if (!agent) return fail('not_found', 'no agent');
        // This client only; and the default for clients still to come.
        session.agentId = agent.id;
        this.info = { ...this.info, agent: { ...agent } };
        return ok(this.info);
      }
      case 'conversations.end':
        this.conversations = this.conversations.filter((x) => x.id !== args.conversationId);
        return ok(null);
      case 'agents.setState': {
        const me = { ...this.agentOf(session), state: args.state as AppInfo['agent']['state'] };
        this.agents = this.agents.map((a) => (a.id === me.id ? me : a));
        if (me.id === this.info.agent.id) this.info = { ...this.info, agent: me };
        return ok(me);
      }
      case 'logExport.preview':
        return ok(this.exportPreview);
      case 'logExport.start': {
        if (this.exportStartAnswer === 'dialog-closed') return ok(null);
        const id = `job-${this.exportJobs.length + 1}`;
        const path = `/data/exports/聊天记录-${id}.csv`;
        this.exportJobs.unshift({
          id, format: args.format as ExportJob['format'], filters: args.filters as ExportJob['filters'], timeZone: 'Asia/Shanghai', path,
          status: 'running', done: 0, total: this.exportPreview.messages, startedAt: Date.now(), finishedAt: null, bytes: null,
        });
        return ok({ jobId: id, path });
      }
      case 'logExport.list':
        return ok(this.exportJobs.map((j) => ({ ...j })));
      case 'logExport.cancel':
        return ok({ cancelled: this.exportJobs.some((j) => j.id === args.jobId && j.status === 'running') });
      case 'logExport.download':
        return ok({ ticket: `ticket-for-${args.jobId as string}`, fileName: '聊天记录.csv', bytes: 1234, expiresAt: Date.now() + 60_000 });
      case 'logExport.reveal':
        this.revealed.push(args.jobId as string);
        return ok({ opened: true, folder: '/home/owner/导出' });
      default:
        return fail('unknown_method', method);
    }
  }

  /** A client of its own: its own connection, signed in as the default agent until it switches. */
  client(): Client {
    const session: Session = {};
    return {
      transport: 'websocket',
      call: <M extends MethodName>(method: M, args: ArgsIn<M>): Promise<Result<ResultOf<M>>> => {
        this.calls.push({ method, args });
        const failure = this.failures.get(method);
        const result = failure ?? this.handle(method, (args ?? {}) as Record<string, unknown>, session);
        // A write through a direct call reaches the feed as the core's would.
        if (!failure && !method.startsWith('sync.')) this.commit();
        return Promise.resolve(result as Result<ResultOf<M>>);
      },
      on: (event, listener) => {
        const set = this.listeners.get(event) ?? new Set();
        set.add(listener as (p: never) => void);
        this.listeners.set(event, set);
        return () => set.delete(listener as (p: never) => void);
      },
      connection: () => this.state,
      onConnection: (listener) => {
        this.stateListeners.add(listener);
        return () => this.stateListeners.delete(listener);
      },
      close: () => undefined,
    };
  }
}

/** GBK counts a CJK character as 2 bytes, ASCII as 1 (enough for the fake). */
function gbkBytes(text: string): number {
  let n = 0;
  for (const ch of text) n += (ch.codePointAt(0) ?? 0) < 0x80 ? 1 : 2;
  return n;
}

/** A small shop: three conversations, one of them with hostile-looking buyer text. */
export function smallShop(now = Date.now()): FakeCore {
  const core = new FakeCore();
  const tag = { id: 't1', name: '回头客', color: '#52c41a' };
  const people = [
    { id: 'c1', nick: '橙子不酸', waited: 30_000 },
    { id: 'c2', nick: '芒果布丁', waited: 240_000 },
    { id: 'c3', nick: '半夏微凉', waited: null },
  ];
  for (const p of people) {
    core.customers.push({ id: p.id, nick: p.nick, groupId: null, remark: '', firstSeenAt: now - 86_400_000 * 30, tags: p.id === 'c2' ? [tag] : [] });
    core.conversations.push({
      id: `conv-${p.id}`,
      customerId: p.id,
      customerNick: p.nick,
      customerTags: p.id === 'c2' ? [tag] : [],
      customerGroupId: null,
      agentId: 'agent-1',
      status: 'open',
      lastMessageAt: now - (p.waited ?? 600_000),
      lastMessagePreview: '在吗',
      unreadCount: p.waited ? 1 : 0,
      waitingSince: p.waited ? now - p.waited : null,
    });
    core.messages.push({ id: `first-${p.id}`, conversationId: `conv-${p.id}`, sender: 'buyer', agentId: null, kind: 'text', text: '在吗', orderId: null, createdAt: now - (p.waited ?? 600_000) });
  }
  core.messages.push({
    id: 'hostile',
    conversationId: 'conv-c1',
    sender: 'buyer',
    agentId: null,
    kind: 'text',
    text: '<img src=x onerror="window.__pwned=1">看看这个',
    orderId: null,
    createdAt: now - 20_000,
  });
  core.orders.push({
    id: 'o1', orderNo: '4701789617859361180', customerId: 'c1', status: 'shipped', amountCents: 12900, address: '浙江省杭州市', logisticsCompany: '顺丰速运', trackingNo: null,
    createdAt: now - 86_400_000, paidAt: now - 86_400_000, items: [{ id: 'i1', title: '阔腿牛仔裤', sku: '黑色 XL', priceCents: 12900, quantity: 1 }], flag: 0, memo: '',
  });
  core.tags.push(tag, { id: 't2', name: '爱砍价', color: '#e5484d' });
  core.customerGroups.push({ id: 'g-vip', name: '高价值客户' });
  core.phraseGroups.push({ id: 'rg1', scope: 'team', name: '物流', sort: 0 }, { id: 'rg2', scope: 'personal', name: '我的', sort: 0 });
  core.phrases.push(
    { id: 'r1', scope: 'team', groupId: 'rg1', code: 'fh', title: '发货时间', content: '{买家昵称}您好，订单{订单号}今天由{物流公司}发出，单号{物流单号}', searchKeys: 'fh 发货时间 fhsj fahuoshijian', useCount: 0, lastUsedAt: null, sort: 0 },
    { id: 'r2', scope: 'team', groupId: 'rg1', code: 'kd', title: '快递', content: '默认中通快递，需要顺丰请补邮费', searchKeys: 'kd 快递 kd kuaidi', useCount: 0, lastUsedAt: null, sort: 1 },
    { id: 'r3', scope: 'personal', groupId: 'rg2', code: 'hi', title: '问候', content: '亲，我是{客服昵称}，很高兴为您服务', searchKeys: 'hi 问候 wh wenhou', useCount: 0, lastUsedAt: null, sort: 2 },
  );
  core.orders.push({
    id: 'o2', orderNo: '1933503234123785764', customerId: 'c1', status: 'completed', amountCents: 4900, address: '浙江省杭州市', logisticsCompany: '中通快递', trackingNo: '78123456789',
    createdAt: now - 86_400_000 * 20, paidAt: now - 86_400_000 * 20, items: [{ id: 'i2', title: '纯棉T恤', sku: '白色 L', priceCents: 4900, quantity: 1 }], flag: 2, memo: '已补发赠品',
  });
  return core;
}
