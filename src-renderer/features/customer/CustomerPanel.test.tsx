import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { fail } from '../../../shared/contract/errors';
import { resetDeskStore } from '../../state/store';
import { smallShop } from '../../test/fakeClient';
import { renderDesk } from '../../test/renderDesk';

beforeEach(() => resetDeskStore());

describe('the buyer panel', () => {
  it('adds an existing tag, creates a new coloured one, and removes one; the list shows them', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('半夏微凉'))[0]!);
    const panel = await screen.findByRole('complementary', { name: '买家信息' });
    await user.click(await within(panel).findByRole('button', { name: '＋ 标签' }));
    await user.click(await within(panel).findByRole('button', { name: '添加标签 爱砍价' }));
    await waitFor(() => expect(within(panel).getByRole('list', { name: '客户标签' })).toHaveTextContent('爱砍价'));

    await user.click(within(panel).getByRole('button', { name: '＋ 标签' }));
    await user.type(within(panel).getByRole('textbox', { name: '标签名称' }), '要发票');
    await user.click(within(panel).getByRole('radio', { name: '#30a46c' }));
    await user.click(within(panel).getByRole('button', { name: '新建标签「要发票」' }));
    await waitFor(() => expect(within(panel).getByRole('list', { name: '客户标签' })).toHaveTextContent('要发票'));
    expect(core.tags.find((t) => t.name === '要发票')!.color).toBe('#30a46c');
    // the conversation list shows the buyer's tags too
    await waitFor(() => expect(within(screen.getByRole('listbox', { name: '会话列表' })).getByText('要发票')).toBeInTheDocument());

    await user.click(within(panel).getByRole('button', { name: '移除标签 爱砍价' }));
    await waitFor(() => expect(within(panel).getByRole('list', { name: '客户标签' })).not.toHaveTextContent('爱砍价'));
  });

  it('marks a tag added while the core is out of reach as pending until the core has it', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('半夏微凉'))[0]!);
    const panel = await screen.findByRole('complementary', { name: '买家信息' });
    core.failures.set('sync.push', fail('unavailable', 'the core is paused'));
    await user.click(await within(panel).findByRole('button', { name: '＋ 标签' }));
    await user.click(await within(panel).findByRole('button', { name: '添加标签 爱砍价' }));
    const tags = within(panel).getByRole('list', { name: '客户标签' });
    const item = await within(tags).findByText('爱砍价');
    expect(item.closest('li')).toHaveTextContent('爱砍价待同步');
    expect(core.customers.find((c) => c.id === 'c3')!.tags.map((t) => t.name)).not.toContain('爱砍价');
    core.failures.delete('sync.push');
    await waitFor(() => expect(within(tags).queryByText('待同步')).toBeNull());
    expect(within(tags).getByText('爱砍价')).toBeInTheDocument();
    expect(core.customers.find((c) => c.id === 'c3')!.tags.map((t) => t.name)).toContain('爱砍价');
  });

  it('puts the buyer in a new customer group', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('半夏微凉'))[0]!);
    const panel = await screen.findByRole('complementary', { name: '买家信息' });
    const select = await within(panel).findByRole('combobox', { name: '客户分组' });
    await user.selectOptions(select, '＋ 新建分组…');
    await user.type(within(panel).getByRole('textbox', { name: '新分组名称' }), '直播粉丝{Enter}');
    await waitFor(() => expect(core.customers.find((c) => c.id === 'c3')!.groupId).toBe(core.groups.find((g) => g.name === '直播粉丝')!.id));
    expect(within(panel).getByRole('combobox', { name: '客户分组' })).toHaveDisplayValue('直播粉丝');
  });
});

describe('the buyer profile', () => {
  it('shows how many orders the buyer has and what they spent on paid ones', async () => {
    const { user } = renderDesk(smallShop().client());
    await user.click((await screen.findAllByText('橙子不酸'))[0]!);
    const panel = await screen.findByRole('complementary', { name: '买家信息' });
    expect(await within(panel).findByText('2 笔订单 · 累计消费 ¥178.00')).toBeInTheDocument();
  });
});
