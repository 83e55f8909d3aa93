import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDeskStore } from '../../state/store';
import { renderDesk } from '../../test/renderDesk';
import { smallShop } from '../../test/testShop';

beforeEach(() => resetDeskStore());

/** A 1×1 PNG: a size chart, as far as these tests go. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC';

const order = (now: number) => ({
  id: 'o-unpaid',
  orderNo: 'TB20240618001',
  customerId: 'c1',
  status: 'pending_payment' as const,
  amountCents: 25_900,
  address: '杭州市西湖区',
  logisticsCompany: null,
  trackingNo: null,
  createdAt: now - 12 * 60_000,
  paidAt: null,
  items: [],
});

describe('the 待付款 queue', () => {
  it('lists an unpaid order with its age, buyer and amount; 催付 sends the card once and the row says 已催付', async () => {
    const now = Date.now();
    const shop = smallShop(now);
    shop.addOrder(order(now));
    const { user } = renderDesk(shop.client());
    await user.click(await screen.findByRole('button', { name: '催付' }));
    // An agent sees the queue only: the settings are the leads'.
    expect(screen.queryByRole('tab', { name: '自动回复' })).not.toBeInTheDocument();
    const row = (await screen.findByText('TB20240618001')).closest('tr')!;
    expect(within(row).getByText('橙子不酸')).toBeInTheDocument();
    expect(within(row).getByText('¥259.00')).toBeInTheDocument();
    expect(within(row).getByText('12 分钟前')).toBeInTheDocument();
    await user.click(within(row).getByRole('button', { name: '催付' }));
    expect(await within(row).findByText('已催付')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('已向橙子不酸发送催付卡片。');
    const log = await shop.call('automation.log', {});
    expect(log.entries).toMatchObject([{ kind: 'manual', outcome: 'sent', amountCents: 25_900 }]);
    const pending = await shop.call('automation.pending', {});
    expect(pending.find((p) => p.orderId === 'o-unpaid')?.reminded).toBe(true);
  });

  it('marks a flash-sale order 秒杀 in the queue and on the order beside the chat', async () => {
    const now = Date.now();
    const shop = smallShop(now);
    shop.addOrder({ ...order(now), id: 'o-flash', orderNo: 'TB20240618777', flashSale: true, createdAt: now - 5 * 60_000 });
    shop.addOrder(order(now));
    const { user } = renderDesk(shop.client());
    await user.click(await screen.findByRole('button', { name: '催付' }));
    const flash = (await screen.findByText('TB20240618777')).closest('tr')!;
    expect(within(flash).getByText('秒杀')).toHaveAttribute('title', '秒杀订单：未付款时更早关闭，催付也更早');
    const plain = screen.getByText('TB20240618001').closest('tr')!;
    expect(within(plain).queryByText('秒杀')).toBeNull();
    await user.click(screen.getByRole('button', { name: '接待台' }));
    await user.click((await screen.findAllByText('橙子不酸'))[0]!);
    const card = await screen.findByRole('listitem', { name: '订单 TB20240618777' });
    expect(within(card).getByText('秒杀')).toBeInTheDocument();
    expect(within(screen.getByRole('listitem', { name: '订单 TB20240618001' })).queryByText('秒杀')).toBeNull();
  });
});

describe('the keyword rule editor (supervisor)', () => {
  it('tests a rule live against a typed sample, saves it, and refuses a red-line word until confirmed', async () => {
    const shop = smallShop();
    shop.setDefaultAgent('lead-1');
    const { user } = renderDesk(shop.client());
    await user.click(await screen.findByRole('button', { name: '催付' }));
    await user.click(await screen.findByRole('tab', { name: '待付款' }));
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: '自动回复' })).toHaveAttribute('aria-selected', 'true');
    await user.click(await screen.findByRole('button', { name: '添加规则' }));
    const rule = screen.getByRole('listitem', { name: '规则 1' });
    await user.type(within(rule).getByRole('textbox', { name: '关键词' }), '发货，快递');
    await user.type(within(rule).getByRole('textbox', { name: '回复内容' }), '下单后48小时内发货');
    const sample = screen.getByRole('textbox', { name: '试一试：买家说' });
    await user.type(sample, '什么时候发货呀');
    expect(screen.getByText('会自动回复：下单后48小时内发货')).toBeInTheDocument();
    await user.clear(sample);
    await user.type(sample, '有优惠吗');
    expect(screen.getByText('没有规则会回复这句话。')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByText('已保存')).toBeInTheDocument();
    expect((await shop.call('automation.get', {})).rules).toMatchObject([{ triggers: ['发货', '快递'], mode: 'contains', enabled: true }]);

    await user.type(within(rule).getByRole('textbox', { name: '回复内容' }), '，加微信更快');
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('加微信');
    await user.click(screen.getByRole('button', { name: '仍然保存' }));
    expect(await screen.findByText('已保存')).toBeInTheDocument();
    expect((await shop.call('automation.get', {})).rules[0]!.reply).toBe('下单后48小时内发货，加微信更快');
  });
  it('sets 催付 at chosen hours: typed hours are checked, kept in order, and saved as the timing', async () => {
    const shop = smallShop();
    shop.setDefaultAgent('lead-1');
    const { user } = renderDesk(shop.client());
    await user.click(await screen.findByRole('button', { name: '催付' }));
    await user.click(await screen.findByRole('tab', { name: '催付规则' }));
    const timing = await screen.findByRole('radiogroup', { name: '催付时机' });
    await user.click(within(timing).getByRole('radio', { name: '在选定的整点' }));
    const hours = screen.getByRole('textbox', { name: /^整点/ });
    expect(hours).toHaveValue('10, 15, 20');
    await user.clear(hours);
    await user.type(hours, '20，9, 25');
    expect(screen.getByRole('alert')).toHaveTextContent('请填写 0–23 的整点');
    await user.clear(hours);
    await user.type(hours, '20，9, 14, 9');
    expect(screen.queryByRole('alert')).toBeNull();
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByText('已保存')).toBeInTheDocument();
    expect((await shop.call('automation.get', {})).settings.reminders.timing).toEqual({ kind: 'at_hours', hours: [9, 14, 20] });

    await user.click(within(timing).getByRole('radio', { name: '下单后一段时间' }));
    expect(screen.getByRole('spinbutton', { name: '下单后多少分钟催付' })).toHaveValue(10);
  });
  it('answers a keyword rule with a team phrase: the reply shows the phrase, cannot be typed over, and the rule keeps the phrase', async () => {
    const shop = smallShop();
    shop.setDefaultAgent('lead-1');
    const team = (await shop.call('phrases.forPicker', {})).phrases.find((p) => p.scope === 'team')!;
    const { user } = renderDesk(shop.client());
    await user.click(await screen.findByRole('button', { name: '催付' }));
    await user.click(await screen.findByRole('tab', { name: '自动回复' }));
    await user.click(await screen.findByRole('button', { name: '添加规则' }));
    const rule = screen.getByRole('listitem', { name: '规则 1' });
    await user.type(within(rule).getByRole('textbox', { name: '关键词' }), '尺码');
    const picker = within(rule).getByRole('combobox', { name: '用团队短语回复' });
    await within(picker).findByRole('option', { name: (team.title || team.content).slice(0, 30) });
    await user.selectOptions(picker, team.id);
    const reply = within(rule).getByRole('textbox', { name: '回复内容' });
    expect(reply).toHaveValue(team.content);
    expect(reply).toHaveAttribute('readonly');
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByText('已保存')).toBeInTheDocument();
    expect((await shop.call('automation.get', {})).rules).toMatchObject([{ triggers: ['尺码'], phraseId: team.id }]);
  });
  it('shows a phrase’s picture beside a rule answering with it, and the live test says the picture goes too', async () => {
    const shop = smallShop();
    shop.setDefaultAgent('lead-1');
    const team = (await shop.call('phrases.forPicker', {})).phrases.find((p) => p.scope === 'team')!;
    await shop.call('phrases.save', {
      id: team.id,
      groupId: team.groupId,
      code: team.code,
      title: '尺码表',
      content: team.content,
      image: { base64: PNG },
    });
    const { user } = renderDesk(shop.client());
    await user.click(await screen.findByRole('button', { name: '催付' }));
    await user.click(await screen.findByRole('tab', { name: '自动回复' }));
    await user.click(await screen.findByRole('button', { name: '添加规则' }));
    const rule = screen.getByRole('listitem', { name: '规则 1' });
    await user.type(within(rule).getByRole('textbox', { name: '关键词' }), '尺码');
    const picker = within(rule).getByRole('combobox', { name: '用团队短语回复' });
    await within(picker).findByRole('option', { name: '尺码表 （含图片）' });
    expect(within(rule).queryByRole('group', { name: '回复附带的图片' })).toBeNull();
    await user.selectOptions(picker, team.id);
    const image = within(rule).getByRole('group', { name: '回复附带的图片' });
    expect(await within(image).findByRole('img')).toHaveAttribute('src', `data:image/png;base64,${PNG}`);
    await user.type(screen.getByRole('textbox', { name: '试一试：买家说' }), '尺码怎么选');
    expect(screen.getByText(`会自动回复：${team.content}（并附图片）`)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByText('已保存')).toBeInTheDocument();
    expect((await shop.call('automation.get', {})).rules).toMatchObject([{ triggers: ['尺码'], phraseId: team.id }]);
  });
});
