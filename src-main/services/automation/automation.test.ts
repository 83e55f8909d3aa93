import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_AUTOMATION_SETTINGS, type AutomationSettings } from '../../../shared/domain/automation/settings';
import { newId } from '../../../shared/domain/ids';
import { Core } from '../../core/core';
import type { Store } from '../../store';
import { writeTeamConfig } from '../../teamSync/teamSettings';
import { openLogReader } from '../../store';
import { runExport } from '../logExport/runExport';
import { exportFiltersSchema } from '../../../shared/contract/logExport';
import type { Result } from '../../../shared/contract/errors';
import type { MethodName, ResultOf } from '../../../shared/contract/methods';
import { IMAGE_TEXT } from '../../../shared/domain/images';
import { pngOf } from '../channels/testing/png';

/** A contract call with its result typed. */
const call = async <M extends MethodName>(core: Core, method: M, args: unknown, connection: string) =>
  (await core.call(method, args, connection)) as Result<ResultOf<M>>;

const dirs: string[] = [];
const cores: Core[] = [];
afterEach(() => {
  for (const core of cores.splice(0)) core.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

// 2024-06-18 14:00 in Shanghai (06:00 UTC): inside working hours, outside quiet hours.
const T0 = Date.UTC(2024, 5, 18, 6, 0, 0);
const MIN = 60_000;

function folder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-auto-'));
  dirs.push(dir);
  return dir;
}

function open(dir: string, clock: { at: number }): Core {
  const now = () => clock.at;
  const core = new Core({
    dataDir: dir,
    seedDemo: false,
    keepBackups: 0,
    watchOtherWritersMs: false,
    now,
    automation: { now, timer: false },
  });
  cores.push(core);
  core.signIn('lead', null);
  return core;
}

function buyerWithOrder(store: Store, at: number, cents = 12_800, { flashSale = false, nick = '小王' } = {}) {
  const customerId = newId();
  const orderId = newId();
  store.tx(() => {
    store.customers.insert({ id: customerId, nick, group_id: null, remark: '', first_seen_at: at, updated_at: at });
    store.orders.insert(
      {
        id: orderId,
        order_no: `NO${orderId.slice(-8)}`,
        customer_id: customerId,
        status: 'pending_payment',
        amount_cents: cents,
        address: '杭州',
        logistics_company: null,
        tracking_no: null,
        created_at: at,
        paid_at: null,
        updated_at: at,
        flash_sale: flashSale ? 1 : 0,
      },
      [],
    );
  });
  return { customerId, orderId };
}

const reminding = (over: Partial<AutomationSettings['reminders']> = {}): AutomationSettings => ({
  ...DEFAULT_AUTOMATION_SETTINGS,
  reminders: {
    ...DEFAULT_AUTOMATION_SETTINGS.reminders,
    enabled: true,
    quietHours: null,
    template: '{买家昵称}，订单{订单号}共{金额}待付款',
    ...over,
  },
});

const messagesOf = (store: Store, customerId: string) => {
  const id = store.conversations.openForCustomer(customerId);
  return id ? store.messages.page(id, 50).messages : [];
};

describe('催付 through the core', () => {
  it('reminds an unpaid order at the set minute, once, as an automated card in the buyer’s conversation, and logs it', async () => {
    const clock = { at: T0 };
    const core = open(folder(), clock);
    expect((await call(core, 'automation.save', { settings: reminding(), rules: [] }, 'lead')).ok).toBe(true);
    const { customerId, orderId } = buyerWithOrder(core.store, T0);
    clock.at = T0 + 9 * MIN;
    expect(core.automation.round()).toMatchObject({ sent: 0, nextAt: T0 + 10 * MIN });
    clock.at = T0 + 10 * MIN;
    expect(core.automation.round().sent).toBe(1);
    const [card] = messagesOf(core.store, customerId);
    expect(card).toMatchObject({ sender: 'agent', agentId: null, kind: 'order_card', orderId, automated: 'reminder' });
    expect(card!.text).toMatch(/^小王，订单NO\w+共¥128\.00待付款$/);
    expect(core.automation.round().sent).toBe(0);
    const log = await call(core, 'automation.log', {}, 'lead');
    expect(log.ok && log.value.figures).toMatchObject({ today: 1, week: 1, paidAfter: 0 });
    expect(log.ok && log.value.entries[0]).toMatchObject({ kind: 'after_order', outcome: 'sent', customerNick: '小王' });
    const pending = await call(core, 'automation.pending', {}, 'lead');
    expect(pending.ok && pending.value.find((p) => p.orderId === orderId)?.reminded).toBe(true);
  });

  it('never reminds one order twice: not after a restart, not with two cores on one file', () => {
    const dir = folder();
    const clock = { at: T0 };
    const a = open(dir, clock);
    a.store.tx(() => a.store.settings.set('automation', reminding()));
    const { customerId } = buyerWithOrder(a.store, T0);
    const b = open(dir, clock);
    clock.at = T0 + 11 * MIN;
    expect(a.automation.round().sent + b.automation.round().sent).toBe(1);
    a.close();
    cores.splice(cores.indexOf(a), 1);
    const again = open(dir, clock);
    expect(again.automation.round().sent).toBe(0);
    expect(messagesOf(again.store, customerId).filter((m) => m.automated === 'reminder')).toHaveLength(1);
  });

  it('drops a reminder more than an hour late instead of sending it, and logs why', async () => {
    const clock = { at: T0 };
    const core = open(folder(), clock);
    core.store.tx(() => core.store.settings.set('automation', reminding()));
    const { customerId } = buyerWithOrder(core.store, T0);
    clock.at = T0 + 75 * MIN;
    expect(core.automation.round()).toMatchObject({ sent: 0, dropped: 1 });
    expect(messagesOf(core.store, customerId)).toHaveLength(0);
    const log = await call(core, 'automation.log', {}, 'lead');
    expect(log.ok && log.value.entries[0]).toMatchObject({ outcome: 'skipped', reason: 'late' });
  });

  it('reminds a flash-sale order before its shorter close, while an ordinary order placed with it waits for its 72 h', async () => {
    const clock = { at: T0 };
    const core = open(folder(), clock);
    // No after-order reminder in the way: the first at 23:00 (quiet hours off), the pre-close 10 minutes before closing.
    const settings = reminding({ timing: { kind: 'at_hours', hours: [23] }, preCloseMinutes: 10, flashCloseAfterMinutes: 30 });
    expect((await call(core, 'automation.save', { settings, rules: [] }, 'lead')).ok).toBe(true);
    const flash = buyerWithOrder(core.store, T0, 9_900, { flashSale: true, nick: '秒杀买家' });
    const plain = buyerWithOrder(core.store, T0, 9_900);
    expect(core.store.orders.get(flash.orderId)?.flashSale).toBe(true);
    expect(core.store.orders.get(plain.orderId)?.flashSale).toBe(false);
    // The queue says which is which.
    const queue = await call(core, 'automation.pending', {}, 'lead');
    expect(queue.ok && queue.value.map((p) => [p.orderId, p.flashSale]).sort()).toEqual(
      [
        [flash.orderId, true],
        [plain.orderId, false],
      ].sort(),
    );
    clock.at = T0 + 19 * MIN;
    expect(core.automation.round()).toMatchObject({ sent: 0, nextAt: T0 + 20 * MIN });
    clock.at = T0 + 20 * MIN;
    expect(core.automation.round().sent).toBe(1);
    expect(messagesOf(core.store, flash.customerId).map((m) => m.automated)).toEqual(['reminder']);
    expect(messagesOf(core.store, plain.customerId)).toHaveLength(0);
    const log = await call(core, 'automation.log', {}, 'lead');
    expect(log.ok && log.value.entries[0]).toMatchObject({ kind: 'pre_close', outcome: 'sent', orderIds: [flash.orderId] });
    // Past its 30 minutes the flash-sale order is closed: off the queue, never reminded again.
    clock.at = T0 + 31 * MIN;
    expect(core.automation.round().sent).toBe(0);
    const later = await call(core, 'automation.pending', {}, 'lead');
    expect(later.ok && later.value.map((p) => p.orderId)).toEqual([plain.orderId]);
  });

  it('the queue’s click sends the card once; the runner then leaves the order alone; paid after it counts as recovered', async () => {
    const clock = { at: T0 };
    const core = open(folder(), clock);
    core.store.tx(() => core.store.settings.set('automation', reminding()));
    const { customerId, orderId } = buyerWithOrder(core.store, T0, 5_000);
    clock.at = T0 + 2 * MIN;
    const sent = await call(core, 'automation.remind', { orderId }, 'lead');
    expect(sent.ok).toBe(true);
    const twice = await call(core, 'automation.remind', { orderId }, 'lead');
    expect(!twice.ok && twice.error.code).toBe('conflict');
    clock.at = T0 + 10 * MIN;
    expect(core.automation.round().sent).toBe(0);
    expect(messagesOf(core.store, customerId).map((m) => m.automated)).toEqual(['reminder']);
    core.store.db.prepare("UPDATE orders SET status = 'to_ship', paid_at = ? WHERE id = ?").run(T0 + 20 * MIN, orderId);
    const log = await call(core, 'automation.log', {}, 'lead');
    expect(log.ok && log.value.figures).toMatchObject({ paidAfter: 1, recoveredCents: 5_000 });
  });
});

describe('auto-replies through the core', () => {
  const keyword = {
    id: 'r1',
    enabled: true,
    priority: 1,
    mode: 'contains' as const,
    triggers: ['发货'],
    reply: '48小时内发货',
    phraseId: null,
  };

  it('lets a rule answer with a team phrase (sent as the phrase reads), never with an agent’s personal phrase or a missing one', async () => {
    const clock = { at: T0 };
    const core = open(folder(), clock);
    const at = T0;
    core.store.tx(() => {
      core.store.agents.insert({ id: 'a-mei', nick: '小美', role: 'agent', state: 'online', created_at: at });
      for (const [scope, owner, id, content] of [
        ['team', '', 'p-team', '亲，尺码表在详情页第三张图'],
        ['personal', 'a-mei', 'p-mine', '小美自己的话'],
      ] as const) {
        core.store.phrases.insertGroup({ id: `g-${id}`, scope, owner, name: '售前', sort: 0, created_at: at });
        core.store.phrases.insert({
          ...{ id, scope, owner, group_id: `g-${id}`, code: '', title: '', content, search_keys: '' },
          ...{ use_count: 0, last_used_at: null, sort: 0, created_at: at, updated_at: at },
        });
      }
    });
    const save = (phraseId: string) =>
      call(
        core,
        'automation.save',
        { settings: DEFAULT_AUTOMATION_SETTINGS, rules: [{ ...keyword, triggers: ['尺码'], phraseId }] },
        'lead',
      );
    for (const phraseId of ['p-mine', 'p-nowhere']) {
      const refused = await save(phraseId);
      expect(!refused.ok && refused.error.code, phraseId).toBe('invalid_argument');
    }
    expect((await save('p-team')).ok).toBe(true);
    const { customerId } = buyerWithOrder(core.store, T0);
    const first = core.receiveBuyerMessage({ customerId, text: '尺码怎么选' });
    const texts = core.store.messages.page(first.conversationId, 10).messages.map((m) => m.text);
    expect(texts).toContain('亲，尺码表在详情页第三张图');
  });

  it('answers with a phrase’s picture: the words, then the picture, both automated, once per window; a buyer whose channel takes none gets the words', async () => {
    const dir = folder();
    const now = () => T0;
    const hub = new Core({ dataDir: dir, hub: {}, keepBackups: 0, watchOtherWritersMs: false, now, automation: { now, timer: false } });
    cores.push(hub);
    await hub.initShop('小店', '店长', 'owner-pass-123');
    expect((await call(hub, 'auth.login', { account: '店长', password: 'owner-pass-123' }, 'owner')).ok).toBe(true);
    const group = await call(hub, 'phraseGroups.save', { id: newId(), scope: 'team', name: '售前' }, 'owner');
    const phraseId = newId();
    const chart = pngOf(12, 8);
    const saved = await call(
      hub,
      'phrases.save',
      {
        id: phraseId,
        groupId: group.ok ? group.value.id : '',
        code: 'cm',
        title: '尺码表',
        content: '亲，尺码表请看图',
        image: { base64: chart.toString('base64') },
      },
      'owner',
    );
    expect(saved.ok).toBe(true);
    const rules = [{ ...keyword, triggers: ['尺码'], reply: '', phraseId }];
    expect((await call(hub, 'automation.save', { settings: DEFAULT_AUTOMATION_SETTINGS, rules }, 'owner')).ok).toBe(true);
    const buyer = (nick: string, channel: 'widget' | 'api') => {
      const customerId = newId();
      hub.store.tx(() => {
        hub.store.customers.insert({ id: customerId, nick, group_id: null, remark: '', first_seen_at: T0, updated_at: T0 });
        hub.store.channels.buyers.insert({
          channel,
          source: channel === 'api' ? 'sms' : '',
          external_id: `x-${nick}`,
          customer_id: customerId,
          created_at: T0,
        });
      });
      return customerId;
    };

    // A widget visitor takes pictures: the phrase's words, then its picture.
    const visitor = buyer('访客AB12', 'widget');
    const asked = hub.receiveBuyerMessage({ customerId: visitor, text: '尺码怎么选' });
    hub.receiveBuyerMessage({ customerId: visitor, text: '尺码偏大吗' });
    const all = hub.store.messages.page(asked.conversationId, 10).messages;
    expect(all.map((m) => [m.sender, m.kind, m.text, m.automated ?? null])).toEqual([
      ['buyer', 'text', '尺码怎么选', null],
      ['agent', 'text', '亲，尺码表请看图', 'auto_reply'],
      ['agent', 'image', IMAGE_TEXT, 'auto_reply'],
      ['buyer', 'text', '尺码偏大吗', null],
    ]);
    // The picture is the phrase's file, readable by the desks and belonging to this buyer (the widget shows it to her only).
    const picture = all[2]!;
    expect(hub.store.channels.images.get(picture.id)).toMatchObject({ customer_id: visitor, mime: 'image/png', width: 12, height: 8 });
    expect(await call(hub, 'messages.image', { messageId: picture.id }, 'owner')).toMatchObject({
      ok: true,
      value: { mime: 'image/png', base64: chart.toString('base64') },
    });
    // The buyer still waits for a person.
    expect(hub.store.conversations.get(asked.conversationId)?.waitingSince).toBe(asked.createdAt);

    // A bridge that never said it takes pictures: the words only.
    const sms = buyer('短信买家', 'api');
    const text = hub.receiveBuyerMessage({ customerId: sms, text: '尺码' });
    expect(hub.store.messages.page(text.conversationId, 10).messages.map((m) => [m.kind, m.automated ?? null])).toEqual([
      ['text', null],
      ['text', 'auto_reply'],
    ]);
  });

  it('answers a buyer by keyword rule, once per window, marked automated, and the buyer still waits for a person', async () => {
    const clock = { at: T0 };
    const core = open(folder(), clock);
    expect((await call(core, 'automation.save', { settings: DEFAULT_AUTOMATION_SETTINGS, rules: [keyword] }, 'lead')).ok).toBe(true);
    const { customerId } = buyerWithOrder(core.store, T0);
    const first = core.receiveBuyerMessage({ customerId, text: '什么时候发货？' });
    clock.at += 1000;
    core.receiveBuyerMessage({ customerId, text: '发货快吗' });
    const all = core.store.messages.page(first.conversationId, 10).messages;
    expect(all.map((m) => [m.sender, m.automated ?? null])).toEqual([
      ['buyer', null],
      ['agent', 'auto_reply'],
      ['buyer', null],
    ]);
    expect(all[1]!.text).toBe('48小时内发货');
    expect(core.store.conversations.get(first.conversationId)?.waitingSince).toBe(first.createdAt);
  });

  it('names an auto-reply 自动回复 in the chat-log export, never as the serving agent', async () => {
    const clock = { at: T0 };
    const dir = folder();
    const core = open(dir, clock);
    await call(core, 'automation.save', { settings: DEFAULT_AUTOMATION_SETTINGS, rules: [keyword] }, 'lead');
    const { customerId } = buyerWithOrder(core.store, T0);
    core.receiveBuyerMessage({ customerId, text: '发货了吗' });
    const reader = openLogReader(path.join(dir, 'jiedai.sqlite'));
    const out = path.join(dir, 'log.csv');
    try {
      await runExport(reader.queries, {
        filters: exportFiltersSchema.parse({ from: '2024-06-18', to: '2024-06-18' }),
        format: 'csv',
        locale: 'zh-CN',
        timeZone: 'Asia/Shanghai',
        shopName: '小店',
        exportedAt: T0,
        path: out,
        overwrite: true,
        tag: 'test',
      });
    } finally {
      reader.close();
    }
    const line = fs
      .readFileSync(out, 'utf8')
      .split(/\r?\n/)
      .find((l) => l.includes('48小时内发货'));
    expect(line).toContain('自动回复');
  });

  it('refuses a rule or welcome holding a red-line word unless confirmed, and refuses an agent', async () => {
    const core = open(folder(), { at: T0 });
    const bad = { ...keyword, reply: '加微信聊' };
    const refused = await call(core, 'automation.save', { settings: DEFAULT_AUTOMATION_SETTINGS, rules: [bad] }, 'lead');
    expect(!refused.ok && refused.error).toMatchObject({ code: 'conflict', details: { redLines: ['加微信'] } });
    expect(
      (await call(core, 'automation.save', { settings: DEFAULT_AUTOMATION_SETTINGS, rules: [bad], confirmRedLines: true }, 'lead')).ok,
    ).toBe(true);
    core.store.tx(() => core.store.agents.insert({ id: 'ag', nick: '小美', role: 'agent', state: 'online', created_at: 0 }));
    core.signIn('agent', 'ag');
    const agent = await call(core, 'automation.save', { settings: DEFAULT_AUTOMATION_SETTINGS, rules: [] }, 'agent');
    expect(!agent.ok && agent.error.code).toBe('unauthorized');
  });

  it('on the hub the runner answers, and the answer is in the feed the desks pull', async () => {
    const dir = folder();
    const now = () => T0;
    const hub = new Core({ dataDir: dir, hub: {}, keepBackups: 0, watchOtherWritersMs: false, now, automation: { now, timer: false } });
    cores.push(hub);
    await hub.initShop('小店', '店长', 'owner-pass-123');
    expect((await call(hub, 'auth.login', { account: '店长', password: 'owner-pass-123' }, 'owner')).ok).toBe(true);
    expect((await call(hub, 'automation.save', { settings: DEFAULT_AUTOMATION_SETTINGS, rules: [keyword] }, 'owner')).ok).toBe(true);
    const { customerId } = buyerWithOrder(hub.store, T0);
    const m = hub.receiveBuyerMessage({ customerId, text: '几天发货' });
    const feed = hub.sync.pull(0, 500, { agentId: '', role: 'owner' });
    const rows =
      feed.kind === 'changes'
        ? feed.changes.filter((c) => c.entity === 'message').map((c) => c.row as { text: string; automated?: string })
        : [];
    expect(rows.map((r) => [r.text, r.automated ?? null])).toEqual([
      ['几天发货', null],
      ['48小时内发货', 'auto_reply'],
    ]);
    expect(hub.store.messages.page(m.conversationId, 10).messages).toHaveLength(2);
  });

  it('a desk of a team answers nothing itself: the hub is the shop’s one runner', async () => {
    const clock = { at: T0 };
    const core = open(folder(), clock);
    await call(core, 'automation.save', { settings: reminding(), rules: [keyword] }, 'lead');
    const { customerId } = buyerWithOrder(core.store, T0);
    core.store.tx(() => writeTeamConfig(core.store, { hubUrl: 'http://127.0.0.1:1', token: 't', agentId: 'x', clientId: 'c' }));
    const m = core.receiveBuyerMessage({ customerId, text: '发货' });
    expect(core.store.messages.page(m.conversationId, 10).messages).toHaveLength(1);
  });
  it('puts the period’s 催付 in the report: reminders sent that day, the order paid after one, its amount; none the day before', async () => {
    const clock = { at: T0 };
    const core = open(folder(), clock);
    core.store.tx(() => core.store.settings.set('automation', reminding()));
    const { orderId } = buyerWithOrder(core.store, T0, 5_000);
    clock.at = T0 + 2 * MIN;
    expect((await call(core, 'automation.remind', { orderId }, 'lead')).ok).toBe(true);
    core.store.db.prepare("UPDATE orders SET status = 'to_ship', paid_at = ? WHERE id = ?").run(T0 + 20 * MIN, orderId);
    const day = await call(core, 'reports.summary', { from: '2024-06-18', to: '2024-06-18' }, 'lead');
    expect(day.ok && day.value.reminders).toEqual({ sent: 1, paidAfter: 1, recoveredCents: 5_000 });
    expect(day.ok && day.value.previous.reminders).toEqual({ sent: 0, paidAfter: 0, recoveredCents: 0 });
    const before = await call(core, 'reports.summary', { from: '2024-06-17', to: '2024-06-17' }, 'lead');
    expect(before.ok && before.value.reminders).toEqual({ sent: 0, paidAfter: 0, recoveredCents: 0 });
  });

  it('counts 催付 per agent: a click for who clicked, an automatic one for the conversation’s agent then, none served for nobody; in the table and its CSV', async () => {
    const clock = { at: T0 };
    const core = open(folder(), clock);
    core.store.tx(() => {
      core.store.settings.set('automation', reminding());
      core.store.agents.insert({ id: 'a-mei', nick: '小美', role: 'agent', state: 'online', created_at: 0 });
      core.store.agents.insert({ id: 's-wang', nick: '王姐', role: 'supervisor', state: 'online', created_at: 0 });
    });
    core.signIn('wang', 's-wang');
    // 小美 serves buyer 1: the runner's reminder counts for her. Buyer 2 is reminded by 王姐's click.
    // Buyer 3 has no conversation: the runner opens one nobody serves.
    const served = buyerWithOrder(core.store, T0, 10_000, { nick: '买家一' });
    core.store.tx(() => core.store.conversations.insertOpen(newId(), served.customerId, 'a-mei', T0));
    const clicked = buyerWithOrder(core.store, T0, 20_000, { nick: '买家二' });
    const alone = buyerWithOrder(core.store, T0, 40_000, { nick: '买家三' });
    clock.at = T0 + 2 * MIN;
    expect((await call(core, 'automation.remind', { orderId: clicked.orderId }, 'wang')).ok).toBe(true);
    clock.at = T0 + 10 * MIN;
    expect(core.automation.round().sent).toBe(2);
    // 小美 reassigned afterwards: the reminder stays hers (who served the conversation when it went out).
    const conversation = core.store.conversations.openForCustomer(served.customerId)!;
    core.store.db.prepare("UPDATE conversations SET agent_id = 's-wang' WHERE id = ?").run(conversation);
    for (const o of [served, clicked, alone]) {
      core.store.db.prepare("UPDATE orders SET status = 'to_ship', paid_at = ? WHERE id = ?").run(T0 + 30 * MIN, o.orderId);
    }
    const period = { from: '2024-06-18', to: '2024-06-18' };
    const day = await call(core, 'reports.summary', period, 'wang');
    expect(day.ok).toBe(true);
    if (!day.ok) return;
    const summary = day.value;
    expect(summary.reminders).toEqual({ sent: 3, paidAfter: 3, recoveredCents: 70_000 });
    expect(summary.agentReminders).toEqual({
      'a-mei': { sent: 1, paidAfter: 1, recoveredCents: 10_000 },
      's-wang': { sent: 1, paidAfter: 1, recoveredCents: 20_000 },
      '': { sent: 1, paidAfter: 1, recoveredCents: 40_000 },
    });
    expect(summary.totals.agents.map((a) => a.agentId)).toEqual(expect.arrayContaining(['a-mei', 's-wang', '']));
    // Only the agents asked for: 小美's row, her 催付 with it.
    const mine = await call(core, 'reports.summary', { ...period, agentIds: ['a-mei'] }, 'wang');
    expect(mine.ok && mine.value.agentReminders).toEqual({ 'a-mei': { sent: 1, paidAfter: 1, recoveredCents: 10_000 } });

    // The exported table holds the same: the team's row, and each agent's.
    const exported = await call(core, 'reports.export', { period, format: 'csv' }, 'wang');
    expect(exported.ok).toBe(true);
    const lines = fs
      .readFileSync(exported.ok ? exported.value!.path : '', 'utf8')
      .slice(1)
      .trim()
      .split(/\r\n/);
    const header = lines[0]!.split(',');
    const col = (name: string) => header.indexOf(name);
    expect(header.slice(-3)).toEqual(['催付次数', '催付后付款单数', '催付挽回金额(元)']);
    const row = (label: string) => lines.find((l) => l.startsWith(`${label},`))!.split(',');
    expect([col('催付次数'), col('催付后付款单数'), col('催付挽回金额(元)')].map((i) => row('团队合计')[i])).toEqual(['3', '3', '700.00']);
    expect([col('催付次数'), col('催付挽回金额(元)')].map((i) => row('小美')[i])).toEqual(['1', '100.00']);
    expect([col('催付次数'), col('催付挽回金额(元)')].map((i) => row('王姐')[i])).toEqual(['1', '200.00']);
  });
});
