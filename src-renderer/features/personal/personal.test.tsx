import { act, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDeskStore, useDeskStore } from '../../state/store';
import { smallShop } from '../../test/testShop';
import { renderDesk } from '../../test/renderDesk';

beforeEach(() => resetDeskStore());

const list = () => screen.getByRole('listbox', { name: '会话列表' });
const nicks = () =>
  within(list())
    .queryAllByRole('option')
    .map((o) => o.querySelector('.nick')?.textContent);
const row = (nick: string) =>
  within(list())
    .getAllByRole('option')
    .find((o) => o.querySelector('.nick')?.textContent === nick)!;
/** The agent comes back to the window: the desk asks the core again (as it does every minute). */
const backToWindow = () => act(() => void window.dispatchEvent(new Event('focus')));

describe('稍后处理: the agent’s snoozes live in the core and come back at the top', () => {
  it('snoozes a conversation for 30 minutes: it leaves the list, waits under 已挂起 with its time, comes back on top when due', async () => {
    const shop = smallShop();
    const { user } = renderDesk(shop.client());
    await within(await screen.findByRole('listbox', { name: '会话列表' })).findAllByRole('option');
    expect(nicks()).toEqual(['芒果布丁', '橙子不酸', '半夏微凉']);
    await user.click(row('半夏微凉'));
    await user.click(await screen.findByRole('button', { name: /^稍后处理/ }));
    await user.click(within(screen.getByRole('menu', { name: '稍后处理到' })).getByRole('menuitem', { name: '30 分钟后' }));

    await waitFor(() => expect(nicks()).toEqual(['芒果布丁', '橙子不酸']));
    // The next buyer opens, as after 结束.
    expect(await screen.findByRole('log', { name: '与 芒果布丁 的聊天记录' })).toBeInTheDocument();
    const [snooze] = (await shop.as('agent-1')('personal.list', {})).items;
    expect(snooze).toMatchObject({ conversationId: 'conv-c3', state: 'snoozed', hold: { kind: 'until' } });
    // Another agent has none of it.
    expect((await shop.as('lead-1')('personal.list', {})).items).toEqual([]);

    await user.click(screen.getByRole('button', { name: '已挂起' }));
    expect(nicks()).toEqual(['半夏微凉']);
    expect(row('半夏微凉')).toHaveTextContent(/稍后 \d\d:\d\d/);
    await user.click(screen.getByRole('button', { name: '已挂起' }));

    // 29 minutes on: still away. 31: back, at the top, marked.
    shop.moveClock(29 * 60_000);
    backToWindow();
    await new Promise((r) => setTimeout(r, 300));
    expect(nicks()).toEqual(['芒果布丁', '橙子不酸']);
    shop.moveClock(2 * 60_000);
    backToWindow();
    await waitFor(() => expect(nicks()).toEqual(['半夏微凉', '芒果布丁', '橙子不酸']));
    expect(row('半夏微凉')).toHaveTextContent('稍后处理到期');
    expect(row('半夏微凉')).toHaveClass('snooze-returned');

    // Opening it ends the snooze: the mark goes, and so does the core's row.
    await user.click(row('半夏微凉'));
    await waitFor(() => expect(row('半夏微凉')).not.toHaveTextContent('稍后处理到期'));
    await waitFor(async () => expect((await shop.as('agent-1')('personal.list', {})).items).toEqual([]));
  });

  it('"买家回复时" ends when the buyer writes again; 挂起 stays in the list, marked, until taken back', async () => {
    const shop = smallShop();
    const { user } = renderDesk(shop.client());
    await within(await screen.findByRole('listbox', { name: '会话列表' })).findAllByRole('option');
    await user.click(row('橙子不酸'));
    await user.click(await screen.findByRole('button', { name: /^稍后处理/ }));
    await user.click(screen.getByRole('menuitem', { name: '买家回复时' }));
    await waitFor(() => expect(nicks()).toEqual(['芒果布丁', '半夏微凉']));

    act(() => void shop.buyerWrites('c1', '白色的有货了吗？'));
    await waitFor(() => expect(nicks()).toEqual(['橙子不酸', '芒果布丁', '半夏微凉']));
    expect(row('橙子不酸')).toHaveTextContent('稍后处理到期');

    await user.click(row('半夏微凉'));
    await user.click(await screen.findByRole('button', { name: '挂起会话' }));
    await waitFor(() => expect(row('半夏微凉')).toHaveTextContent('挂起'));
    expect((await shop.as('agent-1')('personal.list', {})).items.find((i) => i.conversationId === 'conv-c3')).toMatchObject({
      state: 'held',
    });
    await user.click(screen.getByRole('button', { name: '取消挂起' }));
    await waitFor(() => expect(row('半夏微凉')).not.toHaveTextContent('挂起'));
  });
});

describe('drafts belong to the agent, not to the browser', () => {
  it('keeps 小美’s draft in the core: 主管 at the same desk does not see it, 小美 gets it back, and so does a fresh browser', async () => {
    const shop = smallShop();
    const first = renderDesk(shop.client());
    const { user } = first;
    await within(await screen.findByRole('listbox', { name: '会话列表' })).findAllByRole('option');
    await user.click(row('芒果布丁'));
    await user.type(await screen.findByRole('textbox', { name: '回复内容' }), '白色明天补货');
    await waitFor(async () =>
      expect((await shop.as('agent-1')('personal.list', {})).items).toMatchObject([{ conversationId: 'conv-c2', draft: '白色明天补货' }]),
    );
    // Nothing of it in the browser's storage.
    expect(localStorage.getItem('jiedai.desk') ?? '').not.toContain('白色明天补货');

    await user.selectOptions(screen.getByRole('combobox', { name: '当前账号' }), 'lead-1');
    await waitFor(() => expect(screen.getByRole('combobox', { name: '当前账号' })).toHaveValue('lead-1'));
    await user.click(row('芒果布丁'));
    await waitFor(() => expect(screen.getByRole('textbox', { name: '回复内容' })).toHaveValue(''));
    await user.type(screen.getByRole('textbox', { name: '回复内容' }), '主管的话');
    await user.selectOptions(screen.getByRole('combobox', { name: '当前账号' }), 'agent-1');
    await waitFor(() => expect(screen.getByRole('textbox', { name: '回复内容' })).toHaveValue('白色明天补货'));
    expect((await shop.as('lead-1')('personal.list', {})).items).toMatchObject([{ conversationId: 'conv-c2', draft: '主管的话' }]);

    // Another browser (a new replica, nothing in its storage), 小美 again: the draft is there.
    first.unmount();
    resetDeskStore();
    renderDesk(shop.client());
    await within(await screen.findByRole('listbox', { name: '会话列表' })).findAllByRole('option');
    await user.click(row('芒果布丁'));
    await waitFor(() => expect(screen.getByRole('textbox', { name: '回复内容' })).toHaveValue('白色明天补货'));
  });

  it('hands the drafts and holds an older version kept in this browser to the core once', async () => {
    const shop = smallShop();
    localStorage.setItem(
      'jiedai.desk',
      JSON.stringify({ version: 2, state: { drafts: { 'conv-c2': '旧版本的草稿' }, held: { 'conv-c1': true }, lang: 'zh-CN' } }),
    );
    await useDeskStore.persist.rehydrate();
    expect(useDeskStore.getState().legacyPersonal).not.toBeNull();
    const { user } = renderDesk(shop.client());
    await within(await screen.findByRole('listbox', { name: '会话列表' })).findAllByRole('option');
    await waitFor(() => expect(row('橙子不酸')).toHaveTextContent('挂起'));
    await user.click(row('芒果布丁'));
    await waitFor(() => expect(screen.getByRole('textbox', { name: '回复内容' })).toHaveValue('旧版本的草稿'));
    expect(useDeskStore.getState().legacyPersonal).toBeNull();
    expect(localStorage.getItem('jiedai.desk') ?? '').not.toContain('旧版本的草稿');
  });
});
