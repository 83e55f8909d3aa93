import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { fail } from '../../../shared/contract/errors';
import { resetDeskStore } from '../../state/store';
import { smallShop } from '../../test/testShop';
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
    expect(core.read.tags().find((t) => t.name === '要发票')!.color).toBe('#30a46c');
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
    // The tag shows at once; its mark follows when the outbox has the action (a moment later on a busy machine).
    await waitFor(() => expect(within(tags).getByText('爱砍价').closest('li')).toHaveTextContent('爱砍价待同步'));
    expect(core.read.customer('c3')!.tags.map((t) => t.name)).not.toContain('爱砍价');
    core.failures.delete('sync.push');
    await waitFor(() => expect(within(tags).queryByText('待同步')).toBeNull());
    expect(within(tags).getByText('爱砍价')).toBeInTheDocument();
    expect(core.read.customer('c3')!.tags.map((t) => t.name)).toContain('爱砍价');
  });

  it('marks a group and a remark set while the core is out of reach as pending until the core has them', async () => {
    const core = smallShop();
    const target = { id: 'g-old', name: '老客户' };
    await core.call('customerGroups.create', target);
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('半夏微凉'))[0]!);
    const panel = await screen.findByRole('complementary', { name: '买家信息' });
    const select = await within(panel).findByRole('combobox', { name: '客户分组' });
    const before = core.read.customer('c3')!;
    core.failures.set('sync.push', fail('unavailable', 'the core is paused'));

    await within(select).findByRole('option', { name: target.name });
    await user.selectOptions(select, target.name);
    await waitFor(() => expect(select.closest('label')).toHaveTextContent('待同步'));
    await user.click(within(panel).getByRole('button', { name: '编辑客户备注' }));
    await user.type(within(panel).getByRole('textbox', { name: '客户备注' }), '只收顺丰');
    await user.click(within(panel).getByRole('button', { name: '保存' }));
    await waitFor(() =>
      expect(
        within(panel)
          .getByText(/只收顺丰/)
          .closest('.remark'),
      ).toHaveTextContent('待同步'),
    );
    expect(core.read.customer('c3')!.groupId).toBe(before.groupId);

    core.failures.delete('sync.push');
    await waitFor(() => expect(within(panel).queryByText('待同步')).toBeNull());
    expect(core.read.customer('c3')!).toMatchObject({ groupId: target.id, remark: expect.stringContaining('只收顺丰') });
  });

  it('puts the buyer in a new customer group', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('半夏微凉'))[0]!);
    const panel = await screen.findByRole('complementary', { name: '买家信息' });
    const select = await within(panel).findByRole('combobox', { name: '客户分组' });
    await user.selectOptions(select, '＋ 新建分组…');
    await user.type(within(panel).getByRole('textbox', { name: '新分组名称' }), '直播粉丝{Enter}');
    await waitFor(() => expect(core.read.customer('c3')!.groupId).toBe(core.read.groups().find((g) => g.name === '直播粉丝')?.id));
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
