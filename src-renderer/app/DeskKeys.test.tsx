import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDeskStore } from '../state/store';
import { smallShop } from '../test/testShop';
import { renderDesk } from '../test/renderDesk';

beforeEach(() => resetDeskStore());

/** The conversation list's rows, once the replica has them. */
const conversationRows = async () => within(await screen.findByRole('listbox', { name: '会话列表' })).findAllByRole('option');

const selectedNick = () =>
  within(screen.getByRole('listbox', { name: '会话列表' }))
    .getByRole('option', { selected: true })
    .querySelector('.nick')?.textContent;

describe('the desk by keyboard and its list tools', () => {
  it('moves between conversations with Alt+↑/↓ and jumps to the next waiting buyer with Alt+Shift+↓', async () => {
    const { user } = renderDesk(smallShop().client());
    await conversationRows();
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(selectedNick()).toBe('芒果布丁');
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(selectedNick()).toBe('橙子不酸');
    await user.keyboard('{Alt>}{ArrowUp}{/Alt}');
    expect(selectedNick()).toBe('芒果布丁');
    await user.keyboard('{Alt>}{Shift>}{ArrowDown}{/Shift}{/Alt}');
    expect(selectedNick()).toBe('橙子不酸'); // 半夏微凉 waits for nobody: skipped
    await user.keyboard('{Alt>}{Shift>}{ArrowDown}{/Shift}{/Alt}');
    expect(selectedNick()).toBe('芒果布丁');
  });

  it('filters to unanswered, by tag, and sorts by most recent', async () => {
    const { user } = renderDesk(smallShop().client());
    const list = await screen.findByRole('listbox', { name: '会话列表' });
    await user.click(screen.getByRole('button', { name: '未回复' }));
    expect(within(list).getAllByRole('option')).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: '未回复' }));
    await user.selectOptions(await screen.findByRole('combobox', { name: '按标签筛选' }), '回头客');
    expect(
      within(screen.getByRole('listbox', { name: '会话列表' }))
        .getAllByRole('option')
        .map((o) => o.querySelector('.nick')?.textContent),
    ).toEqual(['芒果布丁']);
    await user.selectOptions(screen.getByRole('combobox', { name: '按标签筛选' }), '全部标签');
    await user.selectOptions(screen.getByRole('combobox', { name: '排序' }), '最近消息');
    expect(
      within(screen.getByRole('listbox', { name: '会话列表' }))
        .getAllByRole('option')
        .map((o) => o.querySelector('.nick')?.textContent),
    ).toEqual(['橙子不酸', '芒果布丁', '半夏微凉']);
  });

  it('puts a conversation on hold and finds it under 已挂起; ends another', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('芒果布丁'))[0]!);
    await user.click(await screen.findByRole('button', { name: '挂起会话' }));
    await user.click(screen.getByRole('button', { name: '已挂起' }));
    expect(within(screen.getByRole('listbox', { name: '会话列表' })).getAllByRole('option')).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: '已挂起' }));
    await user.click(screen.getByRole('button', { name: '结束会话' }));
    await waitFor(() => expect(within(screen.getByRole('listbox', { name: '会话列表' })).queryByText('芒果布丁')).toBeNull());
    // The next buyer still waiting opens, and the end can be undone for a few seconds.
    expect(await screen.findByRole('log', { name: '与 橙子不酸 的聊天记录' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('已结束与 芒果布丁 的会话');
  });

  it('opens the command bar with Ctrl+K to jump to a buyer or switch to busy, and shows the shortcut sheet with ?', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await conversationRows();
    await user.keyboard('{Control>}k{/Control}');
    const bar = screen.getByRole('dialog', { name: '命令栏' });
    await user.type(within(bar).getByRole('combobox'), '半夏{Enter}');
    expect(screen.queryByRole('dialog', { name: '命令栏' })).toBeNull();
    expect(selectedNick()).toBe('半夏微凉');
    await user.keyboard('{Control>}k{/Control}');
    await user.type(screen.getByRole('combobox', { name: '输入买家昵称或命令' }), '切换为挂起{Enter}');
    await waitFor(() => expect(screen.getByRole('radio', { name: '挂起' })).toHaveAttribute('aria-checked', 'true'));
    expect(core.read.agent('agent-1')!.state).toBe('busy');
    await user.click(document.body);
    await user.keyboard('?');
    expect(screen.getByRole('dialog', { name: '快捷键' })).toHaveTextContent('Alt+Shift+↓');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: '快捷键' })).toBeNull();
  });
});

describe('the agent settings', () => {
  it('changes when the waiting clock turns red, and switches the desk to English', async () => {
    const { user } = renderDesk(smallShop().client());
    const list = await screen.findByRole('listbox', { name: '会话列表' });
    // The list fills from the replica a moment after it appears.
    expect(await within(list).findByText(/^3\d 秒$/)).toHaveClass('wait-calm');
    await user.click(screen.getByRole('button', { name: '设置' }));
    const dialog = screen.getByRole('dialog', { name: '设置' });
    const amber = within(dialog).getByRole('spinbutton', { name: '等待多少分钟变黄' });
    await user.clear(amber);
    await user.type(amber, '5');
    expect(within(dialog).getByRole('spinbutton', { name: '等待多少分钟变红' })).toHaveValue(6); // red stays after amber
    await user.selectOptions(within(dialog).getByRole('combobox', { name: '界面语言' }), 'English');
    expect(screen.getByRole('dialog', { name: 'Settings' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.getByRole('listbox', { name: 'Conversation list' })).toBeInTheDocument();
    expect(await within(screen.getByRole('listbox')).findByText('4 min')).toHaveClass('wait-calm'); // 4 min < 5 min amber
  });
});
