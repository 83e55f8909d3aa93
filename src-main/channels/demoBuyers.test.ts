import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { conversationService, type ConversationService } from '../services/conversations';
import { seedDemoShop } from '../services/demo/seedDemo';
import { mulberry32 } from '../services/demo/random';
import { openStore, type Store } from '../store';
import { startDemoBuyers, type DemoBuyers } from './demoBuyers';

const INTERVAL = 10_000;

let running: DemoBuyers[] = [];

function start(store: Store, conversations: ConversationService, log = vi.fn()) {
  const demo = startDemoBuyers({ store, conversations, enabled: true, intervalMs: INTERVAL, log, random: mulberry32(42) });
  running.push(demo);
  return { demo, log };
}

function demoShop() {
  const store = openStore(':memory:');
  seedDemoShop(store, { now: Date.now() });
  return { store, conversations: conversationService(store, () => Date.now()) };
}

function messages(store: Store): number {
  return store.stats.counts().messages as number;
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2025, 5, 18, 6, 30) });
});

afterEach(() => {
  for (const demo of running) demo.stop();
  running = [];
  vi.useRealTimers();
});

describe('the demo buyers', () => {
  it('keep writing while enabled, about once per interval', () => {
    const { store, conversations } = demoShop();
    start(store, conversations);
    const before = messages(store);
    vi.advanceTimersByTime(0.6 * INTERVAL);
    expect(messages(store)).toBe(before);
    vi.advanceTimersByTime(10 * INTERVAL);
    expect(messages(store) - before).toBeGreaterThanOrEqual(8);
    expect(messages(store) - before).toBeLessThanOrEqual(16);
  });

  it('open a new conversation that waits for an answer when a buyer without one writes', () => {
    const store = openStore(':memory:');
    store.customers.insert({ id: 'c1', nick: 'tb_小鹿乱撞', group_id: null, remark: '', first_seen_at: 0, updated_at: 0 });
    const conversations = conversationService(store, () => Date.now());
    start(store, conversations);
    expect(conversations.list('open')).toHaveLength(0);
    vi.advanceTimersByTime(1.3 * INTERVAL);
    const [conversation] = conversations.list('open');
    expect(conversation).toMatchObject({ customerNick: 'tb_小鹿乱撞', unreadCount: 1 });
    expect(conversation?.waitingSince).toBe(conversation?.lastMessageAt);
    expect(conversation?.lastMessagePreview).not.toBe('');
  });

  it('bring new waiting buyers to the demo shop desk', () => {
    const { store, conversations } = demoShop();
    start(store, conversations);
    const startedAt = Date.now();
    vi.advanceTimersByTime(10 * INTERVAL);
    const fresh = conversations.list('open').filter((c) => c.waitingSince !== null && c.waitingSince > startedAt);
    expect(fresh.length).toBeGreaterThan(0);
    expect(conversations.list('open').length).toBeGreaterThan(30);
  });

  it('stop writing when switched off, and start again at the new pace when switched on', () => {
    const { store, conversations } = demoShop();
    const { demo } = start(store, conversations);
    expect(demo.configure({ enabled: false })).toEqual({ enabled: false, intervalMs: INTERVAL });
    const before = messages(store);
    vi.advanceTimersByTime(10 * INTERVAL);
    expect(messages(store)).toBe(before);
    expect(demo.configure({ enabled: true, intervalMs: 1000 })).toEqual({ enabled: true, intervalMs: 1000 });
    vi.advanceTimersByTime(1300);
    expect(messages(store)).toBeGreaterThan(before);
  });

  it('stop writing for good once stopped', () => {
    const { store, conversations } = demoShop();
    const { demo } = start(store, conversations);
    demo.stop();
    const before = messages(store);
    vi.advanceTimersByTime(10 * INTERVAL);
    demo.configure({ enabled: true });
    vi.advanceTimersByTime(10 * INTERVAL);
    expect(messages(store)).toBe(before);
  });

  it('log a failed write and carry on', () => {
    const { store, conversations } = demoShop();
    const failing: ConversationService = {
      ...conversations,
      receive: () => {
        throw new Error('disk full');
      },
    };
    const { log } = start(store, failing);
    vi.advanceTimersByTime(1.3 * INTERVAL);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]?.[1]).toEqual(new Error('disk full'));
    vi.advanceTimersByTime(1.3 * INTERVAL);
    expect(log).toHaveBeenCalledTimes(2);
  });
});
