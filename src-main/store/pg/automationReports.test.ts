import { afterAll, describe, expect, test } from 'vitest';
import { reportService } from '../../services/reports/reportService';
import { openPgStore } from './index';
import { freshPgDatabase, pgUnavailable, startPgWorkerForTests } from './testing';

const why = pgUnavailable();
if (why) process.stderr.write(`skipping the PostgreSQL automation and report tests: ${why}\n`);

describe.skipIf(why !== null)('flash-sale orders, 催付 and the reports on PostgreSQL (v6, issues 16 and 17)', () => {
  const stores: { close(): void }[] = [];
  afterAll(() => stores.forEach((s) => s.close()));

  test('keeps the flag through insert, bulk insert, the feed and the snapshot; the 催付 queries answer per agent', () => {
    const store = openPgStore(freshPgDatabase('flash'), startPgWorkerForTests);
    stores.push(store);
    const row = {
      customer_id: 'b1',
      status: 'pending_payment' as const,
      amount_cents: 990,
      address: '',
      logistics_company: null,
      tracking_no: null,
      created_at: 1_000,
      paid_at: null,
      updated_at: 1_000,
    };
    store.tx(() => {
      store.customers.insert({ id: 'b1', nick: '小王', group_id: null, remark: '', first_seen_at: 0, updated_at: 0 });
      store.agents.insert({ id: 'a-mei', nick: '小美', role: 'agent', state: 'online', created_at: 0 });
      store.orders.insert({ ...row, id: 'o1', order_no: 'NO1', flash_sale: 1 }, []);
      store.orders.insert({ ...row, id: 'o2', order_no: 'NO2' }, []);
      store.orders.insertMany([{ row: { ...row, id: 'o3', order_no: 'NO3', flash_sale: 1 }, items: [] }]);
    });
    expect(['o1', 'o2', 'o3'].map((id) => store.orders.get(id)?.flashSale)).toEqual([true, false, true]);
    const feed = store.db.prepare("SELECT entity_id, row FROM changes WHERE entity = 'order' ORDER BY seq").all() as {
      entity_id: string;
      row: string;
    }[];
    expect(feed.map((c) => [c.entity_id, (JSON.parse(c.row) as { flashSale: boolean }).flashSale])).toEqual([
      ['o1', true],
      ['o2', false],
      ['o3', true],
    ]);
    const snapshot = store.snapshot.page('order', null, 10, { agentId: '', messagesPerConversation: 0 });
    expect(snapshot.rows.map((r) => (r.row as { flashSale: boolean }).flashSale)).toEqual([true, false, true]);
    expect(store.automation.unpaid(0, 10).map((r) => [r.id, r.flash_sale])).toEqual(
      expect.arrayContaining([
        ['o1', 1],
        ['o2', 0],
      ]),
    );

    store.tx(() => {
      store.automation.log({
        ...{ id: 'l1', at: 2_000, kind: 'after_order', customer_id: 'b1', order_ids: JSON.stringify(['o1']), amount_cents: 990 },
        ...{ outcome: 'sent', reason: null, message_id: null, agent_id: 'a-mei' },
      });
      store.automation.log({
        ...{ id: 'l2', at: 2_000, kind: 'after_order', customer_id: 'b1', order_ids: JSON.stringify(['o2']), amount_cents: 990 },
        ...{ outcome: 'sent', reason: null, message_id: null, agent_id: null },
      });
    });
    store.db.prepare("UPDATE orders SET status = 'to_ship', paid_at = 3000 WHERE id = 'o1'").run();
    // The team's figures and the log's 7-day recovered amount, the same queries' shape (a pre-existing
    // bit operator and a json alias compared with text failed here before).
    expect(store.automation.figuresBetween(0, 10_000)).toEqual({ sent: 2, paidAfter: 1, recoveredCents: 990 });
    expect(store.automation.recoveredSince(0)).toEqual({ orders: 1, cents: 990 });
    expect(Object.fromEntries(store.automation.figuresByAgentBetween(0, 10_000))).toEqual({
      'a-mei': { sent: 1, paidAfter: 1, recoveredCents: 990 },
      '': { sent: 1, paidAfter: 0, recoveredCents: 0 },
    });
  });
  test('the reports run on it: a buyer, an agent’s reply and her 催付 in the summary (the upkeep read SQLite’s pragma there before)', () => {
    const store = openPgStore(freshPgDatabase('reports'), startPgWorkerForTests);
    stores.push(store);
    const at = Date.UTC(2024, 5, 18, 6, 0, 0); // 14:00 in Shanghai
    store.tx(() => {
      store.customers.insert({ id: 'b1', nick: '小王', group_id: null, remark: '', first_seen_at: at, updated_at: at });
      store.agents.insert({ id: 'a-mei', nick: '小美', role: 'agent', state: 'online', created_at: 0 });
      store.conversations.insertOpen('v1', 'b1', 'a-mei', at);
      for (const [id, sender, agent, t] of [
        ['m1', 'buyer', null, at],
        ['m2', 'agent', 'a-mei', at + 20_000],
      ] as const) {
        store.messages.insert({
          id,
          conversation_id: 'v1',
          sender,
          agent_id: agent,
          kind: 'text',
          text: '在吗',
          order_id: null,
          created_at: t,
        });
      }
      store.automation.log({
        ...{ id: 'l1', at: at + 60_000, kind: 'manual', customer_id: 'b1', order_ids: '[]', amount_cents: 0 },
        ...{ outcome: 'sent', reason: null, message_id: null, agent_id: 'a-mei' },
      });
    });
    const errors: unknown[] = [];
    const reports = reportService({ store, now: () => at + 3_600_000, log: (_m, e) => errors.push(e), background: false });
    const summary = reports.summary({ from: '2024-06-18', to: '2024-06-18' });
    expect(errors).toEqual([]);
    expect(summary.totals.team).toMatchObject({ received: 1, buyerMessages: 1, agentMessages: 1 });
    expect(summary.totals.team.firstResponse.medianMs).toBe(20_000);
    expect(summary.agentReminders).toEqual({ 'a-mei': { sent: 1, paidAfter: 0, recoveredCents: 0 } });
  });
});
