import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fail, type Result } from '../../shared/contract/errors';
import type { EventName, Events } from '../../shared/contract/events';
import type { ArgsIn, MethodName, ResultOf } from '../../shared/contract/methods';
import type { Message } from '../../shared/domain/types';
import { isMutationName, type MutationName } from '../../shared/sync/mutations';
import type { Mutation } from '../../shared/sync/mutations';
import { Core } from '../../src-main/core/core';
import { phraseSearchKeys } from '../../src-main/services/phrases/searchKeys';
import type { Client, ConnectionState } from '../../src-renderer/ipc/client';
import type { DamagedShop, DamagedShopOptions, ShopCall, TestShop } from '../../src-renderer/test/testShop';
import { DATA_FILE } from '../../src-main/core/core';
import { startCore } from '../../src-main/core/recovery';
import { backupNow } from '../../src-main/store/backups';
import { damagePages } from '../../src-main/store/testing';
import { writeSmallShop } from './smallShopData';

let shops = 0;

/**
 * The renderer tests' shop on the real core, in-process: `Core` on a temporary data folder with the
 * small shop written into it. Desks get clients that call `Core.call` on connections of their own,
 * exactly as the browser-mode host's sockets do; only the transport is the test's to control.
 */
export function openRealShop({ now }: { now: number }): TestShop {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-desk-test-'));
  const revealed: string[] = [];
  // The core's test clock (automation, snoozes): moveClock moves it, as the e2e tests' clock file does.
  let clockOffset = 0;
  const core = new Core({
    automation: { now: () => Date.now() + clockOffset },
    dataDir,
    seedDemo: false,
    demoBuyers: { enabled: false },
    // nothing else writes the file: no need to watch for other writers
    watchOtherWritersMs: false,
    log: () => undefined,
    revealFolder: (folder) => {
      revealed.push(folder);
      return Promise.resolve(true);
    },
  });
  writeSmallShop(core, now);
  const id = ++shops;
  let desks = 0;
  let closed = false;
  /** The hub core channel methods go to, once channelsOnHub() made one. */
  let hub: { core: Core; dir: string } | null = null;
  let connection: ConnectionState = 'open';
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  const calls: TestShop['calls'] = [];
  const failures: TestShop['failures'] = new Map();
  const refusals = new Set<MutationName>();
  const pushed: Mutation[] = [];
  // Buyers arrive as from a channel: through the core's own service, which routes new ones.
  const conversations = core.conversations;
  /** Held names, with what waits for each to be released. */
  const held = new Map<string, (() => void)[]>();
  const afterHold = (name: string, go: () => void) => {
    const waiting = held.get(name);
    if (waiting) waiting.push(go);
    else go();
  };

  const callOn = (connectionId: string) =>
    (async (method, args) => {
      const result = await core.call(method, args, connectionId);
      if (!result.ok) throw Object.assign(new Error(`${method}: ${result.error.code} ${result.error.message}`), { error: result.error });
      return result.value;
    }) as ShopCall;
  const outside = new Map<string, ShopCall>();
  const as = (agentId: string): ShopCall => {
    let call = outside.get(agentId);
    if (!call) {
      const connectionId = `test-${id}-as-${agentId}`;
      core.signIn(connectionId, agentId);
      call = callOn(connectionId);
      outside.set(agentId, call);
    }
    return call;
  };

  /** What a desk's call looks like on its way in: recorded, maybe held back, refusals marked. */
  function arriving(method: MethodName, args: unknown): unknown {
    if (method !== 'sync.push') return args;
    const push = args as { clientId: string; mutations: Mutation[] };
    pushed.push(...push.mutations);
    if (refusals.size === 0) return args;
    return {
      ...push,
      mutations: push.mutations.map((m) =>
        isMutationName(m.name) && refusals.has(m.name) ? { ...m, args: { ...(m.args as object), refusedByTest: true } } : m,
      ),
    };
  }

  return {
    calls,
    revealed,
    failures,
    refusals,
    client(options = {}): Client {
      const connectionId = `test-${id}-desk-${++desks}`;
      return {
        transport: options.transport ?? 'websocket',
        call<M extends MethodName>(method: M, args: ArgsIn<M>): Promise<Result<ResultOf<M>>> {
          calls.push({ method, args });
          // A closed shop (the test is over) or a closed socket: nothing reaches the core.
          if (closed || connection !== 'open') return Promise.resolve(fail('unavailable', 'the core is out of reach'));
          const failure = failures.get(method);
          if (failure) return Promise.resolve(failure);
          // The desktop shell answers a closed save dialog itself (src-main/app/exportDialog.ts): nothing starts.
          if (method === 'logExport.start' && options.saveDialog === 'closed')
            return Promise.resolve({ ok: true, value: null } as Result<ResultOf<M>>);
          const target = hub && HUB_ONLY_CHANNELS.has(method) ? hub.core : core;
          const on = target === core ? connectionId : 'hub-owner';
          return new Promise<Result<ResultOf<M>>>((resolve) =>
            afterHold(method, () => resolve(target.call(method, arriving(method, args), on) as Promise<Result<ResultOf<M>>>)),
          );
        },
        on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
          return core.on((name, payload) => {
            if ((name as EventName) === event && connection === 'open') afterHold(event, () => listener(payload as Events[E]));
          });
        },
        connection: () => connection,
        onConnection(listener) {
          connectionListeners.add(listener);
          return () => connectionListeners.delete(listener);
        },
        close: () => core.disconnect(connectionId),
      };
    },
    hold(name) {
      if (!held.has(name)) held.set(name, []);
    },
    release(name) {
      const waiting = held.get(name) ?? [];
      held.delete(name);
      for (const go of waiting) go();
    },
    mutationArgs<A>(name: MutationName): A[] {
      return pushed.filter((m) => m.name === name).map((m) => m.args as A);
    },
    setConnection(state) {
      connection = state;
      for (const l of [...connectionListeners]) l(state);
    },
    call: as('lead-1'),
    as,
    emit(name, payload) {
      core.events.emit(name, payload);
    },
    buyerWrites(customerId, text): Message {
      return conversations.receive({ customerId, text });
    },
    setDefaultAgent(agentId) {
      core.store.settings.set('currentAgentId', agentId);
    },
    moveClock(ms) {
      clockOffset += ms;
    },
    setTimeZone(timeZone) {
      core.store.settings.set('timeZone', timeZone);
    },
    addConversations(count) {
      const at = Date.now();
      core.store.tx(() => {
        for (let i = 0; i < count; i++) {
          core.store.customers.insert({
            id: `bulk-c${i}`,
            nick: `买家${i}`,
            group_id: null,
            remark: '',
            first_seen_at: at - 1000,
            updated_at: at - 1000,
          });
          core.store.conversations.insert({
            id: `bulk-${i}`,
            customer_id: `bulk-c${i}`,
            agent_id: 'agent-1',
            status: 'open',
            last_message_at: at - i * 1000,
            last_message_preview: '',
            unread_count: 0,
            waiting_since: null,
            created_at: at - i * 1000,
            ended_at: null,
          });
        }
      });
      conversations.ingest(
        Array.from({ length: count }, (_, i) => ({
          id: `bulk-m${i}`,
          conversationId: `bulk-${i}`,
          sender: 'buyer' as const,
          agentId: null,
          text: '在吗',
          createdAt: at - i * 1000,
        })),
      );
    },
    addMessages(conversationId, messages) {
      conversations.ingest(
        messages
          .filter((m) => m.kind !== 'image')
          .map(({ kind: _kind, ...m }) => ({ ...m, conversationId, agentId: m.sender === 'agent' ? 'agent-1' : null })),
      );
      // A buyer's picture from a channel: stored as the conversation service stores one (kind image, its placeholder text).
      for (const m of messages.filter((x) => x.kind === 'image')) {
        core.store.tx(() => {
          core.store.messages.insert({
            id: m.id,
            conversation_id: conversationId,
            sender: m.sender,
            agent_id: null,
            kind: 'image',
            text: m.text,
            order_id: null,
            created_at: m.createdAt,
          });
          core.store.conversations.applyMessage(conversationId, m.sender, m.createdAt, m.text);
        });
      }
    },
    addOrder(order) {
      core.store.tx(() =>
        core.store.orders.insert(
          {
            id: order.id,
            order_no: order.orderNo,
            customer_id: order.customerId,
            status: order.status,
            amount_cents: order.amountCents,
            address: order.address,
            logistics_company: order.logisticsCompany,
            tracking_no: order.trackingNo,
            created_at: order.createdAt,
            paid_at: order.paidAt,
            updated_at: order.createdAt,
            flash_sale: order.flashSale ? 1 : 0,
          },
          order.items.map((i) => ({ id: i.id, title: i.title, sku: i.sku, price_cents: i.priceCents, quantity: i.quantity })),
        ),
      );
    },
    addPhrase(p) {
      const at = Date.now();
      core.store.tx(() =>
        core.store.phrases.insert({
          id: p.id,
          scope: 'team',
          owner: '',
          group_id: p.groupId,
          code: p.code,
          title: p.title,
          content: p.content,
          search_keys: phraseSearchKeys(p),
          use_count: p.useCount,
          last_used_at: p.useCount > 0 ? at : null,
          sort: core.store.phrases.nextSort(p.groupId),
          created_at: at,
          updated_at: at,
        }),
      );
    },
    read: {
      messages: (conversationId) =>
        (
          core.store.db
            .prepare(`SELECT id FROM messages ${conversationId ? 'WHERE conversation_id = ?' : ''} ORDER BY created_at, id`)
            .pluck()
            .all(...(conversationId ? [conversationId] : [])) as string[]
        ).map((messageId) => core.store.messages.get(messageId)!),
      conversation: (conversationId) => core.store.conversations.get(conversationId),
      customer: (customerId) => core.store.customers.get(customerId),
      orders: (customerId) => core.store.orders.listByCustomer(customerId),
      tags: () => core.store.customers.tags(),
      groups: () => core.store.customers.groups(),
      phrases: (agentId) => core.store.phrases.forPicker(agentId).phrases,
      phraseGroups: (agentId) => core.store.phrases.forPicker(agentId).groups,
      agent: (agentId) => core.store.agents.get(agentId),
      exportsFolder: () => path.join(dataDir, 'exports'),
    },
    setDiskFull(full) {
      // SQLite's own limit on the file's pages: the next write that needs a new page fails with SQLITE_FULL.
      const pages = core.store.db.pragma('page_count', { simple: true }) as number;
      core.store.db.pragma(`max_page_count = ${full ? pages : 1_073_741_823}`);
    },
    async channelsOnHub() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-desk-test-hub-'));
      const hubCore = new Core({ dataDir: dir, hub: {}, keepBackups: 0, watchOtherWritersMs: false, log: () => undefined });
      const owner = await hubCore.initShop('小店', '店长', 'owner-pass-123');
      const signed = await hubCore.call('auth.login', { account: '店长', password: 'owner-pass-123' }, 'hub-owner');
      if (!signed.ok) throw new Error(signed.error.message);
      hub = { core: hubCore, dir };
      core.store.tx(() => core.store.hub.upsertAgents([{ id: owner.id, nick: '店长', role: 'owner', state: 'online' }], Date.now()));
      core.store.settings.set('currentAgentId', owner.id);
    },
    close() {
      if (closed) return;
      closed = true;
      core.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (hub) {
        hub.core.close();
        fs.rmSync(hub.dir, { recursive: true, force: true });
      }
    },
  };
}

/** The channel methods a desk of a team sends to its hub (as core/teamCalls.ts does). */
const HUB_ONLY_CHANNELS = new Set<string>([
  'apiTokens.list',
  'apiTokens.create',
  'apiTokens.revoke',
  'webhooks.list',
  'webhooks.add',
  'webhooks.remove',
  'webhooks.test',
  'webhooks.deadLetters',
  'webhooks.retry',
  'widget.get',
  'widget.save',
  'messages.image',
]);

/**
 * The small shop's data file damaged after some backups were taken, opened the way the core worker
 * opens it (`startCore`): the file is moved aside and the core answers recovery.* until a choice.
 */
export function openDamagedShop({ now, damage, backups }: DamagedShopOptions): DamagedShop {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-damaged-test-'));
  const options = { dataDir, seedDemo: false, demoBuyers: { enabled: false }, dailyBackups: { enabled: false }, lang: 'zh-CN' as const };
  const first = new Core(options);
  writeSmallShop(first, now);
  backups.forEach((reason, i) => backupNow(first.store.db, dataDir, { reason, now: now - (i + 1) * 3_600_000 }));
  first.close();
  const file = path.join(dataDir, DATA_FILE);
  if (damage === 'empty') fs.writeFileSync(file, '');
  else damagePages(file);
  const started = startCore(options, () => undefined);
  const calls: DamagedShop['calls'] = [];
  let desks = 0;
  let closed = false;
  const status = (started.call('recovery.status', {}, 'test-probe') as Promise<{ ok: true; value: { keptAs?: string } }>).then(
    (r) => r.value.keptAs ?? '',
  );
  let keptAs = '';
  void status.then((k) => (keptAs = k));
  return {
    calls,
    get keptAs() {
      return keptAs;
    },
    client(): Client {
      const connectionId = `damaged-desk-${++desks}`;
      return {
        transport: 'websocket',
        call<M extends MethodName>(method: M, args: ArgsIn<M>): Promise<Result<ResultOf<M>>> {
          calls.push({ method, args });
          if (closed) return Promise.resolve(fail('unavailable', 'the core is out of reach'));
          return started.call(method, args, connectionId) as Promise<Result<ResultOf<M>>>;
        },
        on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
          return started.on((name, payload) => {
            if ((name as EventName) === event) listener(payload as Events[E]);
          });
        },
        connection: () => 'open',
        onConnection: () => () => undefined,
        close: () => started.disconnect(connectionId),
      };
    },
    close() {
      if (closed) return;
      closed = true;
      started.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
