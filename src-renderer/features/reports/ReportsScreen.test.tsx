import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetDeskStore } from '../../state/store';
import { smallShop } from '../../test/testShop';
import { renderDesk } from '../../test/renderDesk';

beforeEach(() => resetDeskStore());
afterEach(() => vi.restoreAllMocks());

/** The text of the table cell in a row (团队合计 or an agent) under a column. */
function cell(rowName: string, column: string): string {
  const table = screen.getByRole('table', { name: '客服明细' });
  const headers = within(table)
    .getAllByRole('columnheader')
    .map((h) => h.textContent);
  const row = within(table).getByRole('row', { name: new RegExp(`^${rowName}`) });
  return row.querySelectorAll('th, td')[headers.indexOf(column)]!.textContent ?? '';
}

async function reportsAsSupervisor() {
  const core = smallShop();
  core.setDefaultAgent('lead-1');
  const view = renderDesk(core.client());
  await screen.findAllByText('芒果布丁');
  await view.user.click(screen.getByRole('button', { name: '报表' }));
  await view.user.click(await screen.findByRole('radio', { name: '近7天' }));
  await screen.findByRole('table', { name: '客服明细' });
  return { core, ...view };
}

describe('the reports screen', () => {
  it('shows the team and each agent for the last 7 days, charts included, and follows a new buyer message within seconds', async () => {
    const { core } = await reportsAsSupervisor();
    // the small shop: three buyers wrote today (c1 twice, c2, c3), 小美 answered c3 after 10 s
    expect(cell('团队合计', '接待人数')).toBe('3');
    expect(cell('团队合计', '买家消息数')).toBe('4');
    expect(cell('小美', '接待人数')).toBe('1');
    expect(cell('小美', '首次响应中位数(秒)')).toBe('10.0');
    expect(cell('主管-王姐', '接待人数')).toBe('0');
    expect(within(screen.getByRole('group', { name: '接待人数' })).getByText('3')).toBeTruthy();
    for (const chart of ['接待与转化趋势', '各客服接待与付款', '买家消息热力图（星期 × 小时）']) {
      expect(screen.getByRole('img', { name: chart }).querySelector('svg'), chart).not.toBeNull();
    }
    expect(screen.getByRole('region', { name: '指标口径' })).toHaveTextContent('询单人数：接待的买家中');
    // 催付 in the period, from the reminder log: the small shop has sent none
    expect(within(screen.getByRole('group', { name: '催付次数' })).getByText('0')).toBeTruthy();
    expect(within(screen.getByRole('group', { name: '催付挽回金额' })).getByText('¥0.00')).toBeTruthy();
    expect(screen.getByRole('status', { name: '' })).toHaveTextContent('实时');
    // the phrases' use is asked for the same period as the table
    const summaryArgs = core.calls.filter((c) => c.method === 'reports.summary').at(-1)?.args as { from: string; to: string };
    expect(core.calls.filter((c) => c.method === 'reports.phrases').at(-1)?.args).toMatchObject({
      from: summaryArgs.from,
      to: summaryArgs.to,
    });

    // live: the feed's poke asks again (throttled to one request every few seconds)
    core.buyerWrites('c2', '还在吗？');
    await waitFor(() => expect(cell('团队合计', '买家消息数')).toBe('5'), { timeout: 10_000 });
  });

  it('shows each agent’s 催付 in the table, the team’s as the sum, with its definition', async () => {
    const now = Date.now();
    const core = smallShop(now);
    core.addOrder({
      id: 'o-unpaid',
      orderNo: 'TB20240618001',
      customerId: 'c1',
      status: 'pending_payment',
      amountCents: 25_900,
      address: '杭州市西湖区',
      logisticsCompany: null,
      trackingNo: null,
      createdAt: now - 12 * 60_000,
      paidAt: null,
      items: [],
    });
    await core.as('agent-1')('automation.remind', { orderId: 'o-unpaid' });
    core.setDefaultAgent('lead-1');
    const view = renderDesk(core.client());
    await screen.findAllByText('芒果布丁');
    await view.user.click(screen.getByRole('button', { name: '报表' }));
    await view.user.click(await screen.findByRole('radio', { name: '今天' }));
    await waitFor(() => expect(cell('小美', '催付次数')).toBe('1'));
    expect(cell('团队合计', '催付次数')).toBe('1');
    expect(cell('主管-王姐', '催付次数')).toBe('0');
    expect(cell('小美', '催付挽回金额(元)')).toBe('0.00');
    expect(screen.getByRole('region', { name: '指标口径' })).toHaveTextContent('自动催付记在发出时会话的接待客服名下');
    // The cards for one agent: 小美's own figures, with the change against her period before.
    expect(within(screen.getByRole('region', { name: '团队概览' })).getByRole('group', { name: '接待人数' })).toHaveTextContent('3');
    await view.user.selectOptions(screen.getByRole('combobox', { name: '查看' }), '小美');
    const hers = screen.getByRole('region', { name: '小美 的概览' });
    expect(within(hers).getByRole('group', { name: '接待人数' })).toHaveTextContent(/^接待人数1/);
    expect(within(hers).getByRole('group', { name: '首次响应中位数(秒)' })).toHaveTextContent('10.0');
    expect(within(screen.getByRole('group', { name: '催付次数' })).getByText('1')).toBeTruthy();
    await view.user.selectOptions(screen.getByRole('combobox', { name: '查看' }), '团队合计');
    expect(screen.getByRole('region', { name: '团队概览' })).toBeInTheDocument();
  });

  it('opens a hot question’s conversations in message search, and exports the table', async () => {
    const core = smallShop();
    const now = Date.now();
    core.addMessages('conv-c2', [
      { id: 'q1', sender: 'buyer', text: '什么时候发货呀？', createdAt: now - 60_000 },
      { id: 'q2', sender: 'buyer', text: '亲 什么时候发货', createdAt: now - 50_000 },
    ]);
    core.setDefaultAgent('lead-1');
    const { user } = renderDesk(core.client());
    await screen.findAllByText('芒果布丁');
    await user.click(screen.getByRole('button', { name: '报表' }));
    await user.click(await screen.findByRole('radio', { name: '近7天' }));
    const question = await screen.findByRole('button', { name: '查看“发货”的会话' });
    expect(question.closest('li')).toHaveTextContent('2 次');

    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    await user.click(screen.getByRole('button', { name: '导出 CSV' }));
    const done = await screen.findByRole('alert');
    expect(done).toHaveTextContent(/已导出到 .*报表-.*\.csv/);
    expect(core.calls.filter((c) => c.method === 'reports.export').at(-1)?.args).toMatchObject({ format: 'csv', locale: 'zh-CN' });
    // browser mode: the file downloads at once through a one-time ticket
    expect(clicked).toHaveBeenCalledTimes(1);
    expect((clicked.mock.contexts[0] as HTMLAnchorElement).getAttribute('href')).toMatch(/^\/downloads\//);

    await user.click(screen.getByRole('button', { name: '查看“发货”的会话' }));
    const box = await screen.findByRole('searchbox', { name: '搜索全部聊天消息' });
    expect(box).toHaveValue('发货');
    expect(screen.getByRole('combobox', { name: '发送方' })).toHaveValue('buyer');
    await within(await screen.findByRole('listbox', { name: '搜索结果' })).findAllByRole('option');
  });

  it('is not offered to an agent', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await screen.findAllByText('芒果布丁');
    expect(screen.queryByRole('button', { name: '报表' })).toBeNull();
    await user.keyboard('{Control>}k{/Control}');
    const commands = await screen.findByRole('listbox', { name: '命令' });
    expect(within(commands).queryByText('打开报表')).toBeNull();
    expect(
      await core
        .as('agent-1')('reports.summary', { from: '2024-06-01', to: '2024-06-07' })
        .catch((e: Error) => e.message),
    ).toMatch(/supervisors/);
  });
});
