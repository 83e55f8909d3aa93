import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as Queries from '../../db/queries';
import { resetDeskStore } from '../../state/store';
import { smallShop, type TestShop } from '../../test/testShop';
import { renderDesk } from '../../test/renderDesk';

/**
 * The replica's reads for one conversation or buyer can be held back: the test decides when the
 * answer for a key arrives, as a slow IndexedDB would on a busy machine.
 */
const gate = vi.hoisted(() => {
  const held = new Set<string>();
  const waiting = new Map<string, (() => void)[]>();
  return {
    hold: (key: string) => held.add(key),
    release(key: string) {
      held.delete(key);
      for (const go of waiting.get(key) ?? []) go();
      waiting.delete(key);
    },
    releaseAll() {
      for (const key of [...held]) this.release(key);
    },
    pass(key: string): Promise<void> {
      if (!held.has(key)) return Promise.resolve();
      return new Promise((go) => waiting.set(key, [...(waiting.get(key) ?? []), go]));
    },
  };
});

vi.mock('../../db/queries', async (importOriginal) => {
  const real = await importOriginal<typeof Queries>();
  // The rows are read first (so the live query still knows what it watches), the answer held after.
  const slow =
    <R,>(what: string, read: (db: never, key: string) => Promise<R>) =>
    async (db: never, key: string): Promise<R> => {
      const rows = await read(db, key);
      await gate.pass(`${what}:${key}`);
      return rows;
    };
  return {
    ...real,
    messagesOf: slow('messages', real.messagesOf as (db: never, key: string) => Promise<unknown>),
    customerWithTags: slow('customer', real.customerWithTags as (db: never, key: string) => Promise<unknown>),
    ordersOf: slow('orders', real.ordersOf as (db: never, key: string) => Promise<unknown>),
  };
});

beforeEach(() => {
  resetDeskStore();
  gate.releaseAll();
});

/** Each buyer of the small shop says a few things only they say. */
function chattyShop(): TestShop {
  const core = smallShop();
  const now = Date.now();
  for (const [id, nick] of [
    ['c1', '橙子不酸'],
    ['c2', '芒果布丁'],
    ['c3', '半夏微凉'],
  ]) {
    core.addMessages(
      `conv-${id}`,
      [0, 1, 2, 3].map((i) => ({ id: `m-${id}-${i}`, sender: 'buyer' as const, text: `${nick}的第${i}句`, createdAt: now - 10_000 + i })),
    );
  }
  core.addOrder({
    id: 'o-c2',
    orderNo: '5550001112223334445',
    customerId: 'c2',
    status: 'to_ship',
    amountCents: 3900,
    address: '广东省深圳市南山区',
    logisticsCompany: null,
    trackingNo: null,
    createdAt: now - 3_600_000,
    paidAt: now - 3_600_000,
    items: [{ id: 'i-c2', title: '芒果干', sku: '500g', priceCents: 3900, quantity: 1 }],
  });
  return core;
}

const NICKS = ['橙子不酸', '芒果布丁', '半夏微凉'];

/** Every bubble in the open chat, with the conversation it says it belongs to. */
function bubbles(container: HTMLElement) {
  return [...container.querySelectorAll<HTMLElement>('.conversation-view [data-message-id]')].map((el) => ({
    conversationId: el.dataset.conversationId,
    text: el.querySelector('.text')?.textContent ?? '',
  }));
}

/** Nothing of another buyer is on screen: no bubble, no words of theirs, no order of theirs. */
function expectOnly(container: HTMLElement, conversationId: string, nick: string) {
  for (const b of bubbles(container)) {
    expect(b.conversationId, `bubble "${b.text}" shown under ${nick}`).toBe(conversationId);
    for (const other of NICKS.filter((n) => n !== nick)) expect(b.text, `bubble of ${other} shown under ${nick}`).not.toContain(other);
  }
  const panel = screen.getByRole('complementary', { name: '买家信息' });
  for (const other of NICKS.filter((n) => n !== nick))
    expect(within(panel).queryByText(other), `${other} in the panel of ${nick}`).toBeNull();
}

describe('switching conversations while the replica is slow', () => {
  it("never shows the previous buyer's messages, nick or orders under the next buyer", async () => {
    const core = chattyShop();
    const { user, container } = renderDesk(core.client());
    await user.click((await screen.findAllByText('橙子不酸'))[0]!);
    const log = await screen.findByRole('log', { name: '与 橙子不酸 的聊天记录' });
    expect(await within(log).findByText('橙子不酸的第3句')).toBeInTheDocument();
    expect(await screen.findByText('4701789617859361180')).toBeInTheDocument();

    // The next buyer's messages and orders are slow: until they arrive, nothing of the first buyer may
    // stand in (nor afterwards). Their profile comes first.
    gate.hold('messages:conv-c2');
    gate.hold('orders:c2');
    await user.click(within(screen.getByRole('listbox', { name: '会话列表' })).getByText('芒果布丁'));
    const panel = () => screen.getByRole('complementary', { name: '买家信息' });
    expect(await within(panel()).findByText('芒果布丁')).toBeInTheDocument();
    expectOnly(container, 'conv-c2', '芒果布丁');
    // Until their own messages are read, the chat shows none (and opens at their newest once they are).
    expect(screen.queryByRole('log')).toBeNull();
    gate.release('messages:conv-c2');
    const second = await screen.findByRole('log', { name: '与 芒果布丁 的聊天记录' });
    expect(await within(second).findByText('芒果布丁的第3句')).toBeInTheDocument();
    expectOnly(container, 'conv-c2', '芒果布丁');
    expect(screen.queryByText('4701789617859361180'), "the first buyer's order under the second").toBeNull();

    // A third switch before the second buyer's orders came back; they arrive late, then the third's reads.
    for (const key of ['messages:conv-c3', 'orders:c3', 'customer:c3']) gate.hold(key);
    await user.click(within(screen.getByRole('listbox', { name: '会话列表' })).getByText('半夏微凉'));
    await screen.findByRole('region', { name: '半夏微凉' });
    expectOnly(container, 'conv-c3', '半夏微凉');
    gate.release('orders:c2');
    gate.release('customer:c3');
    expect(await within(panel()).findByText('半夏微凉')).toBeInTheDocument();
    expectOnly(container, 'conv-c3', '半夏微凉');
    expect(screen.queryByText('5550001112223334445'), "the second buyer's order under the third").toBeNull();
    gate.release('messages:conv-c3');
    gate.release('orders:c3');
    const third = await screen.findByRole('log', { name: '与 半夏微凉 的聊天记录' });
    expect(await within(third).findByText('半夏微凉的第3句')).toBeInTheDocument();
    expectOnly(container, 'conv-c3', '半夏微凉');
    expect(bubbles(container).map((b) => b.text)).toEqual([
      '在吗',
      '在的，您说',
      '半夏微凉的第0句',
      '半夏微凉的第1句',
      '半夏微凉的第2句',
      '半夏微凉的第3句',
    ]);

    expect(screen.queryByText('5550001112223334445')).toBeNull();

    // And on (wrapping round) to the second buyer, now fast: only their words and their order.
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}');
    const again = await screen.findByRole('log', { name: '与 芒果布丁 的聊天记录' });
    expect(await within(again).findByText('芒果布丁的第3句')).toBeInTheDocument();
    expect(await screen.findByText('5550001112223334445')).toBeInTheDocument();
    expectOnly(container, 'conv-c2', '芒果布丁');
  });

  it("fills a phrase's order number from the open buyer's orders, never the previous buyer's", async () => {
    const core = chattyShop();
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('橙子不酸'))[0]!);
    expect(await screen.findByText('4701789617859361180')).toBeInTheDocument();
    gate.hold('orders:c2');
    await user.click(within(screen.getByRole('listbox', { name: '会话列表' })).getByText('芒果布丁'));
    const box = await screen.findByRole('textbox', { name: '回复内容' });
    await waitFor(() => expect(screen.getByRole('region', { name: '芒果布丁' })).toContainElement(box));
    await user.type(box, '/fh');
    await user.keyboard('{Enter}');
    expect(box).toHaveValue('芒果布丁您好，订单{订单号}今天由{物流公司}发出，单号{物流单号}');
  });
});
