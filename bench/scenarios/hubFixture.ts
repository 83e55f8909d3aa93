import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newId } from '../../shared/domain/ids';
import type { Agent } from '../../shared/domain/types';
import type { Result } from '../../shared/contract/errors';
import { Core } from '../../src-main/core/core';
import { CoreClient } from '../../src-main/core/coreClient';
import { startHub, type Hub, type HubCore, type HubOptions } from '../../src-main/hub/hubServer';
import { openSocket } from './hubSocket';

/**
 * The team hub scenarios' hub: a hub core (`Core` with `hub: {}`, set up as `jiedai hub init` does)
 * in this process behind the real server (`startHub`, 127.0.0.1 only), a shop of buyers with open
 * conversations and orders, and agent accounts made by the owner's `accounts.create` over /hub/ws.
 * Sign-in limits are raised (50 desks sign in from one address within a second).
 */
export const BENCH_OWNER = { nick: '店长', password: 'owner-pass-123' };

export type BenchHub = {
  dir: string;
  /** The hub's core in this process (a hub started with `worker: true` has none here: reading it throws). */
  core: Core;
  /** The channels' seam (Core.channel, or across the worker CoreClient.channel): how a bridge's post reaches the core. */
  channel(op: string, args: unknown): Promise<Result<unknown>>;
  hub: Hub;
  url: string;
  customers: string[];
  conversations: { id: string; customerId: string }[];
  /** Starts the server again on the same port (the same core): after `hub.close()`, the hub is back. */
  reopen(): Promise<Hub>;
  login(account: string, password: string): Promise<{ token: string; agent: Agent }>;
  /** A contract call as the shop's owner (over /hub/ws). */
  asOwner(method: string, args: unknown): Promise<Result<unknown>>;
  /** A new API token of scope `inbound`, made by the owner (for a bridge's posts). */
  apiToken(): Promise<string>;
  /** Makes `count` agent accounts (nicks 坐席1…) and signs each in once. */
  agents(count: number): Promise<{ token: string; agent: Agent; password: string }[]>;
  close(): Promise<void>;
};

/**
 * `worker`: the hub as `jiedai hub` runs it, its core in a worker thread (CoreClient) behind the
 * server in this thread; the shop is made in this thread first, then its core closed and started
 * in the worker on the same folder.
 */
export async function benchHub(
  shop: { customers: number; openConversations: number; worker?: boolean },
  server: Partial<Omit<HubOptions, 'core' | 'port'>> = {},
): Promise<BenchHub> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-bench-hub-'));
  const core = new Core({ dataDir: dir, hub: {}, keepBackups: 0, watchOtherWritersMs: false, log: () => undefined });
  await core.initShop('小店', BENCH_OWNER.nick, BENCH_OWNER.password);
  const at = Date.now() - 86_400_000;
  const customers: string[] = [];
  const conversations: { id: string; customerId: string }[] = [];
  const store = core.store;
  store.tx(() => {
    for (let i = 0; i < shop.customers; i++) {
      const id = newId();
      customers.push(id);
      store.customers.insert({ id, nick: `买家${i}`, group_id: null, remark: '', first_seen_at: at + i, updated_at: at + i });
      store.orders.insert(
        {
          id: newId(),
          order_no: `H${String(i).padStart(18, '0')}`,
          customer_id: id,
          status: 'to_ship',
          amount_cents: 9900 + i,
          address: '浙江省杭州市西湖区文三路 100 号',
          logistics_company: '',
          tracking_no: '',
          created_at: at + i,
          paid_at: at + i,
          updated_at: at + i,
        },
        [{ id: newId(), title: '高腰阔腿牛仔裤', sku: '黑色 XL', price_cents: 9900, quantity: 1 }],
      );
    }
    for (let i = 0; i < shop.openConversations; i++) {
      const id = newId();
      conversations.push({ id, customerId: customers[i]! });
      store.conversations.insert({
        id,
        customer_id: customers[i]!,
        agent_id: null,
        status: 'open',
        last_message_at: at,
        last_message_preview: '',
        unread_count: 0,
        waiting_since: null,
        created_at: at,
        ended_at: null,
      });
    }
    for (const [n, name] of ['老客户', '催发货', '要发票', '差评预警'].entries())
      store.customers.insertTag({ id: `tag-${n}`, name, color: '#30a46c', created_at: at });
  });
  let client: CoreClient | null = null;
  if (shop.worker) {
    core.close();
    client = await CoreClient.start({ dataDir: dir, hub: {}, keepBackups: 0, watchOtherWritersMs: false });
  }
  const link: HubCore = client ?? core;
  const options = { ...server, core: link, port: 0, login: { max: 100_000, windowMs: 60_000 }, maxSockets: 512 };
  let hub = await startHub(options);
  const port = hub.port;
  const url = `http://127.0.0.1:${port}`;
  const login = async (account: string, password: string) => {
    const response = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account, password }),
    });
    if (response.status !== 200) throw new Error(`login ${account}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { token: string; agent: Agent };
  };
  const owner = await login(BENCH_OWNER.nick, BENCH_OWNER.password);
  let made = 0;
  let tokens = 0;
  const bench: BenchHub = {
    dir,
    get core() {
      if (client) throw new Error('this bench hub’s core runs in its worker');
      return core;
    },
    channel: (op, args) => link.channel(op, args),
    get hub() {
      return hub;
    },
    url,
    customers,
    conversations,
    login,
    async reopen() {
      hub = await startHub({ ...options, port });
      return hub;
    },
    async asOwner(method, args) {
      const socket = await openSocket(url, owner.token);
      try {
        return await socket.call(method, args);
      } finally {
        socket.close();
      }
    },
    async apiToken() {
      const socket = await openSocket(url, owner.token);
      try {
        const r = await socket.call('apiTokens.create', { name: `bench-${++tokens}`, scope: 'inbound' });
        if (!r.ok) throw new Error(`apiTokens.create: ${r.error.message}`);
        return (r.value as { token: string }).token;
      } finally {
        socket.close();
      }
    },
    async agents(count) {
      const socket = await openSocket(url, owner.token);
      try {
        const out: { token: string; agent: Agent; password: string }[] = [];
        // Ten at a time: each is a scrypt hash on the hub and one on sign-in (libuv's threads).
        for (let done = 0; done < count; done += 10) {
          const batch = Array.from({ length: Math.min(10, count - done) }, () => ++made);
          out.push(
            ...(await Promise.all(
              batch.map(async (n) => {
                const password = `agent-pass-${n}`;
                const r = await socket.call('accounts.create', { id: `agent-${n}`, nick: `坐席${n}`, role: 'agent', password });
                if (!r.ok) throw new Error(`accounts.create: ${r.error.message}`);
                return { ...(await login(`坐席${n}`, password)), password };
              }),
            )),
          );
        }
        return out;
      } finally {
        socket.close();
      }
    },
    async close() {
      await hub.close();
      if (client) await client.close();
      else core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return bench;
}
