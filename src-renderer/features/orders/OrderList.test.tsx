import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { fail } from '../../../shared/contract/errors';
import { resetDeskStore } from '../../state/store';
import { smallShop, type TestShop } from '../../test/testShop';
import { renderDesk } from '../../test/renderDesk';

beforeEach(() => resetDeskStore());

const order = (core: TestShop, id: string) => core.read.orders('c1').find((o) => o.id === id)!;

async function openBuyer() {
  const core = smallShop();
  const view = renderDesk(core.client());
  await view.user.click((await screen.findAllByText('橙子不酸'))[0]!);
  const card = await screen.findByRole('listitem', { name: '订单 4701789617859361180' });
  return { core, card, ...view };
}

describe('order tools beside the chat', () => {
  it('flags an order red with one click', async () => {
    const { core, card, user } = await openBuyer();
    const flags = within(card).getByRole('radiogroup', { name: '订单 4701789617859361180 的旗帜' });
    expect(within(flags).getAllByRole('radio')).toHaveLength(6);
    await user.click(within(flags).getByRole('radio', { name: '红旗' }));
    await waitFor(() => expect(within(flags).getByRole('radio', { name: '红旗' })).toHaveAttribute('aria-checked', 'true'));
    expect(order(core, 'o1').flag).toBe(1);
  });

  it('marks a flag set while the core is out of reach as pending on that order only, until the core has it', async () => {
    const { core, card, user } = await openBuyer();
    core.failures.set('sync.push', fail('unavailable', 'the core is paused'));
    const flags = within(card).getByRole('radiogroup', { name: '订单 4701789617859361180 的旗帜' });
    await user.click(within(flags).getByRole('radio', { name: '绿旗' }));
    await waitFor(() => expect(within(flags).getByRole('radio', { name: '绿旗' })).toHaveAttribute('aria-checked', 'true'));
    expect(within(card).getByText('待同步')).toBeInTheDocument();
    const other = screen.getByRole('listitem', { name: '订单 1933503234123785764' });
    expect(within(other).queryByText('待同步')).toBeNull();
    expect(order(core, 'o1').flag).not.toBe(3);
    core.failures.delete('sync.push');
    await waitFor(() => expect(within(card).queryByText('待同步')).toBeNull());
    expect(order(core, 'o1').flag).toBe(3);
  });

  it('counts memo bytes as GBK, refuses past 1000 with a clear message, and saves within the limit', async () => {
    const { core, card, user } = await openBuyer();
    await user.click(within(card).getByRole('button', { name: '编辑订单 4701789617859361180 的备注' }));
    const box = within(card).getByRole('textbox', { name: '订单 4701789617859361180 的备注' });
    await user.type(box, '加急发顺丰 SF');
    expect(within(card).getByText('13/1000 字节')).toBeInTheDocument(); // 5 characters × 2 + " SF" 3
    await user.clear(box);
    await user.click(box);
    await user.paste('备'.repeat(501));
    expect(within(card).getByRole('alert')).toHaveTextContent('已超出 2 字节');
    expect(within(card).getByRole('button', { name: '保存' })).toBeDisabled();
    expect(box).toHaveValue('备'.repeat(501)); // nothing cut
    await user.keyboard('{Backspace}');
    await user.click(within(card).getByRole('button', { name: '保存' }));
    await waitFor(() => expect(order(core, 'o1').memo).toBe('备'.repeat(500)));
    await user.click(within(card).getByRole('button', { name: '备注记录' }));
    expect(await within(card).findByText(/小美/)).toBeInTheDocument();
  });

  it('sets flag and memo on several selected orders at once', async () => {
    const { core, user } = await openBuyer();
    await user.click(screen.getByRole('checkbox', { name: '选择订单 4701789617859361180' }));
    await user.click(screen.getByRole('checkbox', { name: '选择订单 1933503234123785764' }));
    const batch = screen.getByRole('region', { name: '批量插旗备注' });
    expect(batch).toHaveTextContent('已选 2 单');
    await user.click(within(within(batch).getByRole('radiogroup')).getByRole('radio', { name: '紫旗' }));
    await user.type(within(batch).getByRole('textbox', { name: '批量设置备注' }), '双十一优先发货');
    await user.click(within(batch).getByRole('button', { name: '保存' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: '批量插旗备注' })).toBeNull());
    // One of the two already had a memo: by default the new one goes after it.
    expect(core.read.orders('c1').map((o) => [o.flag, o.memo])).toEqual([
      [5, '双十一优先发货'],
      [5, '已补发赠品；双十一优先发货'],
    ]);
    await waitFor(() => expect(core.mutationArgs('orders.setNotes')).toHaveLength(1));
  });

  it('says how many selected orders already have a memo, and replaces them only when the agent chooses to', async () => {
    const { core, user } = await openBuyer();
    await user.click(screen.getByRole('checkbox', { name: '选择订单 4701789617859361180' }));
    const batch = screen.getByRole('region', { name: '批量插旗备注' });
    expect(batch).toHaveTextContent('已选的 1 单中有 0 单已有备注。');
    expect(within(batch).queryByRole('radio', { name: '替换掉' })).toBeNull(); // nothing to replace
    await user.click(screen.getByRole('checkbox', { name: '选择订单 1933503234123785764' }));
    expect(batch).toHaveTextContent('已选的 2 单中有 1 单已有备注。');
    expect(within(batch).getByRole('radio', { name: '追加在后面' })).toBeChecked();
    await user.click(within(batch).getByRole('radio', { name: '替换掉' }));
    await user.type(within(batch).getByRole('textbox', { name: '批量设置备注' }), '换成顺丰');
    await user.click(within(batch).getByRole('button', { name: '保存' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: '批量插旗备注' })).toBeNull());
    expect(core.read.orders('c1').map((o) => o.memo)).toEqual(['换成顺丰', '换成顺丰']);
    expect(core.mutationArgs('orders.setNotes')).toEqual([{ orderIds: ['o1', 'o2'], memo: '换成顺丰', memoMode: 'replace' }]);
  });

  it('refuses an append that would take an order past 1000 bytes, naming it, and saves nothing', async () => {
    const { core, user } = await openBuyer();
    await core.call('orders.setNotes', { orderIds: ['o2'], memo: '备'.repeat(497), memoMode: 'replace' });
    await waitFor(() => expect(screen.getByRole('listitem', { name: '订单 1933503234123785764' })).toHaveTextContent('备备备'));
    await user.click(screen.getByRole('checkbox', { name: '选择订单 4701789617859361180' }));
    await user.click(screen.getByRole('checkbox', { name: '选择订单 1933503234123785764' }));
    const batch = screen.getByRole('region', { name: '批量插旗备注' });
    await user.type(within(batch).getByRole('textbox', { name: '批量设置备注' }), '加急发货');
    await user.click(within(batch).getByRole('button', { name: '保存' }));
    expect(screen.getByRole('alert')).toHaveTextContent('追加后订单 1933503234123785764 的备注会超过 1000 字节，没有保存。');
    expect(screen.getByRole('alert')).not.toHaveTextContent('4701789617859361180');
    expect(core.mutationArgs('orders.setNotes')).toHaveLength(0);
    expect(order(core, 'o2').memo).toBe('备'.repeat(497));
  });

  it("filters the buyer's orders by flag", async () => {
    const { user } = await openBuyer();
    await user.click(screen.getByRole('button', { name: '只看黄旗' }));
    expect(screen.queryByRole('listitem', { name: '订单 4701789617859361180' })).toBeNull();
    expect(screen.getByRole('listitem', { name: '订单 1933503234123785764' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '只看红旗' }));
    expect(screen.getByText('没有这个旗帜的订单')).toBeInTheDocument();
  });

  it('sends an order card into the chat', async () => {
    const { core, card, user } = await openBuyer();
    await user.click(within(card).getByRole('button', { name: '发送订单卡片' }));
    await waitFor(() => expect(core.read.messages('conv-c1').some((m) => m.text.startsWith('订单号：4701789617859361180'))).toBe(true));
    const sent = core.mutationArgs<{ orderId?: string }>('messages.send')[0]!;
    expect(sent.orderId).toBe('o1');
  });
});

describe('a phrase for a chosen order', () => {
  it("fills the picker's variables from the order the agent picked, not the newest", async () => {
    const { user } = await openBuyer();
    const older = screen.getByRole('listitem', { name: '订单 1933503234123785764' });
    await user.click(within(older).getByRole('button', { name: '用此订单发短语' }));
    expect(screen.getByRole('status')).toHaveTextContent('短语变量取自订单 1933503234123785764');
    const search = await screen.findByRole('searchbox', { name: '搜索短语：编码、文字或拼音' });
    await user.type(search, 'fh{Enter}');
    expect(screen.getByRole('textbox', { name: '回复内容' })).toHaveValue(
      '橙子不酸您好，订单1933503234123785764今天由中通快递发出，单号78123456789',
    );
  });
});

describe('order words from the shared dictionaries', () => {
  it('calls a completed order 交易成功, the word the exported transcript uses too', async () => {
    await openBuyer();
    const done = screen.getByRole('listitem', { name: '订单 1933503234123785764' });
    expect(within(done).getByText('交易成功')).toBeInTheDocument();
  });

  it('names the flags in English when the desk speaks English', async () => {
    const { useDeskStore } = await import('../../state/store');
    useDeskStore.getState().setLang('en');
    const core = smallShop();
    const view = renderDesk(core.client());
    await view.user.click((await screen.findAllByText('橙子不酸'))[0]!);
    const card = await screen.findByRole('listitem', { name: 'Order 4701789617859361180' });
    expect(within(card).getByRole('radio', { name: 'Red flag' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Only Purple' })).toBeInTheDocument();
  });
});
