import { describe, expect, it } from 'vitest';
import { fixedOffsetClock, HOUR_MS, MINUTE_MS } from '../../shared/domain/reports/clock';
import type { ReportMessage } from '../../shared/domain/reports/fold';
import {
  buildRollup,
  selectHeatmap,
  selectPeriod,
  selectQuestions,
  selectWords,
  type ReportShop,
} from '../../shared/domain/reports/rollup';
import { seriesSpec, summarize } from '../../shared/domain/reports';
import type { WorkingHours } from '../../shared/domain/reports/workingHours';
import type { Order } from '../../shared/domain/types';
import { openStore, type Store } from './index';
import type { EngineConfig } from './reports';

/** A small seeded generator (mulberry32): the same seed, the same writes. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  };
}

const clock = fixedOffsetClock(480);
const START = Date.UTC(2024, 5, 17, 0, 0, 0) - 8 * HOUR_MS; // Monday 2024-06-17 00:00 in Shanghai
const AGENTS = ['a1', 'a2', 'a3'];
const BUYER_LINES = [
  '在吗？',
  '什么时候发货呀',
  '包邮吗？',
  '能便宜点吗',
  '好的',
  '谢谢亲❤️',
  '有XL码吗',
  '退款什么时候到账',
  '那算了',
  '？？',
  '这个面料起球吗',
];
const AGENT_LINES = ['在的亲', '今天发货哦', '包邮的', '已经是活动价了', '有的亲'];

function shopStore(): Store {
  const store = openStore(':memory:');
  store.tx(() => {
    for (const id of AGENTS) store.agents.insert({ id, nick: id, role: 'agent', state: 'online', created_at: 0 });
    for (let b = 1; b <= 8; b++) {
      store.customers.insert({ id: `b${b}`, nick: `买家${b}`, group_id: null, remark: '', first_seen_at: 0, updated_at: 0 });
      for (const c of b % 3 === 0 ? [1, 2] : [1]) {
        store.conversations.insert({
          id: `c${b}-${c}`,
          customer_id: `b${b}`,
          agent_id: null,
          status: 'open',
          last_message_at: 0,
          last_message_preview: '',
          unread_count: 0,
          waiting_since: null,
          created_at: 0,
          ended_at: null,
        });
      }
    }
  });
  return store;
}

const conversationIds = (store: Store) => store.db.prepare('SELECT id FROM conversations ORDER BY id').pluck().all() as string[];

type Write = () => void;

/**
 * Random writes as the desk and the hub make them: live messages, batches from elsewhere, orders
 * placed and paid later. `shuffled`: the same history written in a random order (a desk catching up
 * with the hub, imports), so days are folded before the days they follow.
 */
function randomWrites(store: Store, seed: number, count: number, options: { shuffled?: boolean; between?: () => void } = {}) {
  const rnd = random(seed);
  const convs = conversationIds(store);
  let n = 0;
  let t = START + 8 * HOUR_MS;
  const orders: { id: string; customer: string; createdAt: number }[] = [];
  const writes: Write[] = [];
  const message = (conversation: string, at: number) => {
    const sender = rnd.pick(['buyer', 'buyer', 'agent', 'agent', 'agent', 'system'] as const);
    const automated = sender === 'agent' && rnd.next() < 0.15;
    return {
      id: `m${seed}-${String(++n).padStart(5, '0')}`,
      conversation_id: conversation,
      sender,
      agent_id: sender === 'agent' && !automated ? rnd.pick(AGENTS) : null,
      kind: sender === 'buyer' && rnd.next() < 0.05 ? ('order_card' as const) : ('text' as const),
      text: sender === 'buyer' ? rnd.pick(BUYER_LINES) : sender === 'agent' ? rnd.pick(AGENT_LINES) : '买家通过商品页进入咨询',
      order_id: null,
      created_at: at,
    };
  };
  for (let i = 0; i < count; i++) {
    const roll = rnd.next();
    t += rnd.int(5, 400) * 1000 * (rnd.next() < 0.06 ? 250 : 1); // now and then hours pass, across midnight
    const conversation = rnd.pick(convs);
    if (roll < 0.7) {
      const row = message(conversation, t);
      writes.push(() => store.tx(() => store.messages.insert(row)));
    } else if (roll < 0.8) {
      const rows = Array.from({ length: rnd.int(2, 8) }, () => message(conversation, t - rnd.int(0, 36) * HOUR_MS));
      writes.push(() => store.tx(() => store.messages.insertMany(rows)));
    } else if (roll < 0.92) {
      const customer = store.db.prepare('SELECT customer_id FROM conversations WHERE id = ?').pluck().get(conversation) as string;
      const id = `o${seed}-${orders.length}`;
      const createdAt = t - rnd.int(0, 30) * HOUR_MS;
      const paid = rnd.next() < 0.5;
      const amount = rnd.int(1, 50) * 1000;
      orders.push({ id, customer, createdAt });
      writes.push(() =>
        store.tx(() =>
          store.orders.insert(
            {
              id,
              order_no: id,
              customer_id: customer,
              status: paid ? 'to_ship' : 'pending_payment',
              amount_cents: amount,
              address: '',
              logistics_company: null,
              tracking_no: null,
              created_at: createdAt,
              paid_at: paid ? createdAt + 5 * MINUTE_MS : null,
              updated_at: createdAt,
            },
            [],
          ),
        ),
      );
    } else if (orders.length > 0) {
      // the platform says an order was paid: the hub's copy of it arrives
      const o = rnd.pick(orders);
      const at = t;
      writes.push(() => {
        const order = store.orders.get(o.id);
        if (!order || order.paidAt !== null) return;
        const paidOrder: Order = { ...order, status: 'to_ship', paidAt: order.createdAt + 20 * MINUTE_MS };
        store.tx(() => store.hub.apply('order', order.id, 'upsert', paidOrder, at, { owner: '' }));
      });
    }
  }
  if (options.shuffled) {
    for (let i = writes.length - 1; i > 0; i--) {
      const j = rnd.int(0, i);
      [writes[i], writes[j]] = [writes[j]!, writes[i]!];
    }
  }
  for (const w of writes) {
    w();
    if (rnd.next() < 0.2) options.between?.();
  }
}

function catchUp(store: Store, config: EngineConfig, limit = 2000): void {
  for (let i = 0; i < 10_000; i++) if (store.tx(() => store.reports.step(config, limit))) return;
  throw new Error('the engine did not catch up');
}

/** What the store holds, as the pure reference takes it. */
function shopOf(store: Store): ReportShop {
  return {
    conversations: store.db.prepare('SELECT id, customer_id AS customerId FROM conversations').all() as ReportShop['conversations'],
    messages: store.db
      .prepare(
        'SELECT id, conversation_id AS conversationId, sender, agent_id AS agentId, kind, text, created_at AS createdAt FROM messages',
      )
      .all() as ReportMessage[],
    orders: store.db
      .prepare('SELECT id, customer_id AS customerId, created_at AS createdAt, amount_cents AS amountCents, paid_at AS paidAt FROM orders')
      .all() as ReportShop['orders'],
  };
}

const config = (workingHours: WorkingHours | null = null): EngineConfig => ({ clock, workingHours, key: JSON.stringify(workingHours) });

describe('the report rollup in the store', () => {
  const weekdays = { days: [1, 2, 3, 4, 5], start: 9 * 60, end: 18 * 60 };
  for (const [seed, hours, shuffled] of [
    [1, null, false],
    [2, null, true],
    [3, weekdays, false],
    [4, null, true],
    [5, weekdays, true],
    [6, null, true],
  ] as const) {
    it(`kept incrementally equals the rollup recomputed from scratch, and the pure reference (seed ${seed}${shuffled ? ', written out of order' : ''})`, () => {
      const store = shopStore();
      const cfg = config(hours);
      // The engine runs now and then between writes, in small steps, as the core's background job does.
      randomWrites(store, seed, 400, { shuffled, between: () => store.tx(() => store.reports.step(cfg, 7)) });
      catchUp(store, cfg, 13);
      const incremental = store.reports.dumpForTests();
      const days = incremental.convDays as { open_until: number | null; late: number; own_agent: string; agent_id: string }[];
      // the cases the rules are about happened: waits answered on a later day, late ones, attributed orders
      expect(days.some((r) => r.open_until !== null)).toBe(true);
      expect(days.some((r) => r.late === 1)).toBe(true);
      expect(incremental.convDays.length).toBeGreaterThan(10);
      expect(incremental.orders.length).toBeGreaterThan(0);

      store.reports.reset();
      catchUp(store, cfg, 3);
      expect(store.reports.dumpForTests()).toEqual(incremental);

      // The reference computes the same rows, hence the same report.
      const reference = buildRollup(shopOf(store), { clock, workingHours: hours });
      expect(reference.convDays.length).toBe(incremental.convDays.length);
      const from = Math.floor((START + 8 * HOUR_MS) / 86_400_000) - 1;
      const to = from + 40;
      const spec = seriesSpec({ from, to });
      const ctx = { now: START + 60 * 86_400_000, clock, workingHours: hours };
      const fromStore = summarize(store.reports.periodRows(spec), spec, ctx, AGENTS);
      const fromReference = summarize(selectPeriod(reference, spec), spec, ctx, AGENTS);
      expect(fromStore).toEqual(fromReference);
      expect(fromStore.totals.team.received).toBeGreaterThan(0);
      expect(fromStore.totals.team.response.count).toBeGreaterThan(0);
      expect(store.reports.heatmap(from, to)).toEqual(selectHeatmap(reference, from, to));
      expect(store.reports.words(from, to, 50)).toEqual(selectWords(reference, from, to, 50));
      expect(store.reports.questions(from, to, 50)).toEqual(selectQuestions(reference, from, to, 50));
      store.close();
    });
  }

  it('follows messages whose time the hub moved (across midnight too) and a conversation the hub removed', () => {
    const store = shopStore();
    randomWrites(store, 7, 150);
    catchUp(store, config());
    // the hub's copies of some messages carry the hub's time, minutes from the desk's: some cross into another day
    const rnd = random(77);
    const moved = store.db.prepare('SELECT * FROM messages ORDER BY id').all() as { id: string; created_at: number }[];
    for (const m of moved.filter(() => rnd.next() < 0.3)) {
      const message = store.messages.get(m.id)!;
      const shift = rnd.next() < 0.3 ? 8 * HOUR_MS + rnd.int(-3, 3) * MINUTE_MS : rnd.int(-3, 3) * MINUTE_MS;
      store.tx(() =>
        store.hub.apply('message', m.id, 'upsert', { ...message, createdAt: message.createdAt + shift }, START, { owner: '' }),
      );
    }
    catchUp(store, config());
    const shifted = store.reports.dumpForTests();
    store.reports.reset();
    catchUp(store, config());
    expect(store.reports.dumpForTests()).toEqual(shifted);
    const before = store.reports.dumpForTests();
    const gone = (before.convDays[0] as { conversation_id: string }).conversation_id;
    store.tx(() => store.hub.apply('conversation', gone, 'delete', null, START, { owner: '' }));
    catchUp(store, config());
    const after = store.reports.dumpForTests();
    expect(after.convDays.some((r) => (r as { conversation_id: string }).conversation_id === gone)).toBe(false);
    store.reports.reset();
    catchUp(store, config());
    expect(store.reports.dumpForTests()).toEqual(after);

    const weekdays = config({ days: [1, 2, 3, 4, 5], start: 9 * 60, end: 18 * 60 });
    expect(store.reports.behind(weekdays)).toBe(true);
    catchUp(store, weekdays);
    const reference = buildRollup(shopOf(store), { clock, workingHours: weekdays.workingHours });
    const spec = seriesSpec({ from: 19_000, to: 20_500 });
    const ctx = { now: START, clock, workingHours: weekdays.workingHours };
    expect(summarize(store.reports.periodRows(spec), spec, ctx)).toEqual(summarize(selectPeriod(reference, spec), spec, ctx));
    store.close();
  });

  it('rebuilds when the change feed was compacted past its watermark', () => {
    const store = shopStore();
    randomWrites(store, 9, 100);
    catchUp(store, config());
    randomWrites(store, 10, 50);
    store.tx(() => store.changes.prune(store.changes.head()));
    expect(store.reports.status().watermark).toBeLessThan(store.changes.floor());
    store.tx(() => store.reports.step(config()));
    expect(store.reports.status().rebuild).not.toBeNull();
    catchUp(store, config());
    const reference = buildRollup(shopOf(store), { clock, workingHours: null });
    expect(store.reports.dumpForTests().convDays.length).toBe(reference.convDays.length);
    store.close();
  });
});
