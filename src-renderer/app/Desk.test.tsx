import { act, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fail } from '../../shared/contract/errors';
import { SyncEngine } from '../db/syncEngine';
import { resetDeskStore } from '../state/store';
import { smallShop } from '../test/testShop';
import { renderDesk } from '../test/renderDesk';

beforeEach(() => resetDeskStore());

async function conversationOptions() {
  const list = await screen.findByRole('listbox', { name: '会话列表' });
  // The virtual list may put its rows in a frame after the box.
  return within(list).findAllByRole('option');
}

describe('the agent desk', () => {
  it('lists open conversations with the longest-waiting buyer first, with tags and unread counts', async () => {
    const core = smallShop();
    renderDesk(core.client());
    const options = await conversationOptions();
    expect(options.map((o) => within(o).getByText(/芒果布丁|橙子不酸|半夏微凉/).textContent)).toEqual(['芒果布丁', '橙子不酸', '半夏微凉']);
    expect(within(options[0]!).getByText('回头客')).toBeInTheDocument();
    expect(within(options[0]!).getByLabelText('1 条未读')).toBeInTheDocument();
    expect(within(options[0]!).getByText('4 分钟')).toHaveClass('wait-red');
    // 30 s when the shop was made; the replica may take a moment longer on a loaded machine.
    expect(within(options[1]!).getByText(/^3\d 秒$/)).toHaveClass('wait-calm');
  });

  it('opens a conversation and shows buyer text literally, never as markup', async () => {
    const core = smallShop();
    const { user, container } = renderDesk(core.client());
    await user.click((await screen.findAllByText('橙子不酸'))[0]!);
    const log = await screen.findByRole('log', { name: '与 橙子不酸 的聊天记录' });
    expect(await within(log).findByText('<img src=x onerror="window.__pwned=1">看看这个')).toBeInTheDocument();
    expect(container.querySelector('.message img')).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
    // the buyer's orders sit beside the chat
    expect(await screen.findByText('4701789617859361180')).toBeInTheDocument();
    await waitFor(() => expect(core.mutationArgs('conversations.markRead')).toEqual([{ conversationId: 'conv-c1' }]));
  });

  it('shows a new buyer message live, in the open chat and in the list', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('半夏微凉'))[0]!);
    await screen.findByRole('log', { name: '与 半夏微凉 的聊天记录' });
    act(() => {
      core.buyerWrites('c3', '请问什么时候发货？');
    });
    const log = screen.getByRole('log');
    expect(await within(log).findByText('请问什么时候发货？')).toBeInTheDocument();
    await waitFor(() => expect(within(screen.getByRole('listbox')).getByText('请问什么时候发货？')).toBeInTheDocument());
  });

  it('sends a reply with Enter, stores it once, and clears the box', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('芒果布丁'))[0]!);
    const box = await screen.findByRole('textbox', { name: '回复内容' });
    await user.type(box, '亲，今天就给您发货哦{Shift>}{Enter}{/Shift}顺丰包邮');
    await user.keyboard('{Enter}');
    const log = screen.getByRole('log');
    expect(await within(log).findByText('亲，今天就给您发货哦\n顺丰包邮', { normalizer: (s) => s })).toBeInTheDocument();
    expect(box).toHaveValue('');
    // stored once the bubble is no longer pending
    await waitFor(() => expect(within(log).queryByText('发送中')).toBeNull());
    const sent = core.read.messages('conv-c2').filter((m) => m.sender === 'agent');
    expect(sent.map((m) => m.text)).toEqual(['亲，今天就给您发货哦\n顺丰包邮']);
  });

  it('marks a reply the core refuses as failed, and a retry sends it once with the same id', async () => {
    const core = smallShop();
    core.refusals.add('messages.send');
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('芒果布丁'))[0]!);
    await user.type(await screen.findByRole('textbox', { name: '回复内容' }), '马上为您查询{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent(/^发送失败：内容不符合要求/);
    const firstId = core.mutationArgs<{ id: string }>('messages.send')[0]!.id;
    core.refusals.delete('messages.send');
    await user.click(screen.getByRole('button', { name: '重试' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: '重试' })).toBeNull());
    await waitFor(() => expect(core.read.messages('conv-c2').filter((m) => m.text === '马上为您查询')).toHaveLength(1));
    expect(core.mutationArgs<{ id: string }>('messages.send').map((a) => a.id)).toEqual([firstId, firstId]);
  });

  it('keeps a reply pending while the core is out of reach, through a reload, and sends it once when it is back', async () => {
    const core = smallShop();
    const first = renderDesk(core.client());
    await first.user.click((await screen.findAllByText('芒果布丁'))[0]!);
    core.failures.set('sync.push', fail('unavailable', 'the core is paused'));
    await first.user.type(await screen.findByRole('textbox', { name: '回复内容' }), '稍等，我帮您查一下{Enter}');
    const log = await screen.findByRole('log', { name: '与 芒果布丁 的聊天记录' });
    expect(await within(log).findByText('发送中')).toBeInTheDocument();
    // reload: the outbox and the pending bubble come back from the replica
    first.unmount();
    const second = renderDesk(core.client(), { replicaName: first.replicaName });
    expect(
      await within(await screen.findByRole('log', { name: '与 芒果布丁 的聊天记录' })).findByText('稍等，我帮您查一下'),
    ).toBeInTheDocument();
    expect(screen.getByText('发送中')).toBeInTheDocument();
    expect(core.read.messages('conv-c2').filter((m) => m.text === '稍等，我帮您查一下')).toHaveLength(0);
    core.failures.delete('sync.push');
    await waitFor(() => expect(screen.queryByText('发送中')).toBeNull());
    expect(core.read.messages('conv-c2').filter((m) => m.text === '稍等，我帮您查一下')).toHaveLength(1);
    second.unmount();
  });

  it('gives the text back and says why when a reply cannot be saved even locally', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('芒果布丁'))[0]!);
    const box = await screen.findByRole('textbox', { name: '回复内容' });
    const broken = vi.spyOn(SyncEngine.prototype, 'mutate').mockRejectedValue(new Error('QuotaExceededError'));
    await user.type(box, '亲，今天发货{Enter}');
    await waitFor(() => expect(box).toHaveValue('亲，今天发货'));
    expect(await screen.findByRole('alert')).toHaveTextContent(/没能保存在本机.*QuotaExceededError/);
    broken.mockRestore();
    // the next action that saves clears the warning
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    await waitFor(() =>
      expect(
        core.read
          .messages('conv-c2')
          .filter((m) => m.sender === 'agent')
          .map((m) => m.text),
      ).toEqual(['亲，今天发货']),
    );
  });

  it('closes cleanly while an action is still on its way (a closed window drops nothing it showed)', async () => {
    const core = smallShop();
    // Keep hold of the desk's engine and of every action it was given, to wait for them to settle.
    const engines: SyncEngine[] = [];
    const actions: Promise<unknown>[] = [];
    const { start, mutate } = SyncEngine.prototype;
    const started = vi.spyOn(SyncEngine.prototype, 'start').mockImplementation(function (this: SyncEngine) {
      engines.push(this);
      start.call(this);
    });
    const queued = vi.spyOn(SyncEngine.prototype, 'mutate').mockImplementation(function (
      this: SyncEngine,
      ...args: Parameters<SyncEngine['mutate']>
    ) {
      const action = mutate.apply(this, args);
      actions.push(action);
      return action;
    });
    const { user, unmount, replicaName } = renderDesk(core.client());
    await user.click((await screen.findAllByText('芒果布丁'))[0]!);
    await user.type(await screen.findByRole('textbox', { name: '回复内容' }), '马上发货');
    await user.keyboard('{Enter}');
    unmount();
    // Whatever was in flight meets a closed replica: it settles quietly (an unhandled rejection would
    // fail the run), and no work is left running.
    const settled = await Promise.allSettled(actions);
    expect(settled.length).toBeGreaterThan(0);
    expect(settled.filter((r) => r.status === 'rejected')).toEqual([]);
    for (const engine of engines) await engine.idle();
    queued.mockRestore();
    started.mockRestore();
    // And the reply it showed is not lost: the window opened again on the same replica sends what
    // was left, and the shop holds it once.
    renderDesk(core.client(), { replicaName });
    await waitFor(() => expect(core.read.messages('conv-c2').filter((m) => m.text === '马上发货')).toHaveLength(1));
  });

  it('keeps a draft per conversation when the agent switches away and back', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('芒果布丁'))[0]!);
    await user.type(await screen.findByRole('textbox', { name: '回复内容' }), '稍等我看一下');
    await user.click((await screen.findAllByText('橙子不酸'))[0]!);
    await screen.findByRole('log', { name: '与 橙子不酸 的聊天记录' });
    expect(screen.getByRole('textbox', { name: '回复内容' })).toHaveValue('');
    await user.click((await screen.findAllByText('芒果布丁'))[0]!);
    await screen.findByRole('log', { name: '与 芒果布丁 的聊天记录' });
    expect(screen.getByRole('textbox', { name: '回复内容' })).toHaveValue('稍等我看一下');
  });

  it('finds a conversation by the buyer nick', async () => {
    const { user } = renderDesk(smallShop().client());
    await conversationOptions();
    await user.type(screen.getByRole('searchbox', { name: '搜索买家昵称' }), '芒果');
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(options).toHaveLength(1);
    expect(options[0]).toHaveTextContent('芒果布丁');
    await user.type(screen.getByRole('searchbox'), 'zzz');
    expect(screen.getByText('没有昵称匹配的会话')).toBeInTheDocument();
  });

  it('says so when the connection drops, and catches up with the core when it is back', async () => {
    const core = smallShop();
    renderDesk(core.client());
    await conversationOptions();
    act(() => core.setConnection('closed'));
    expect(screen.getByRole('status')).toHaveTextContent('连接已断开');
    const pulls = () => core.calls.filter((c) => c.method === 'sync.pull').length;
    const before = pulls();
    act(() => core.setConnection('open'));
    await waitFor(() => expect(pulls()).toBeGreaterThan(before));
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('speaks English when asked', async () => {
    const { useDeskStore } = await import('../state/store');
    useDeskStore.getState().setLang('en');
    renderDesk(smallShop().client());
    expect(await screen.findByRole('listbox', { name: 'Conversation list' })).toBeInTheDocument();
    expect(screen.getByText('Pick a conversation on the left to start')).toBeInTheDocument();
  });
});

describe('a busy desk', () => {
  it('keeps a thousand conversations virtual: only a window of them is in the page', async () => {
    const core = smallShop();
    core.addConversations(1000);
    renderDesk(core.client());
    const list = await screen.findByRole('listbox', { name: '会话列表' });
    expect(screen.getByRole('tab', { name: '全部（1003）' })).toBeInTheDocument();
    const rendered = within(list).getAllByRole('option').length;
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(150);
  });

  it('opens a long conversation at its newest 50 messages, not its whole history', async () => {
    const core = smallShop();
    const start = Date.now() - 500_000;
    core.addMessages(
      'conv-c3',
      Array.from({ length: 300 }, (_, k) => ({
        id: `long-${String(k + 1).padStart(3, '0')}`,
        sender: k % 2 ? ('agent' as const) : ('buyer' as const),
        text: `第${k + 1}条`,
        createdAt: start + (k + 1) * 1000,
      })),
    );
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('半夏微凉'))[0]!);
    const log = await screen.findByRole('log');
    expect(await within(log).findByText('第300条')).toBeInTheDocument();
    expect(within(log).queryByText('第1条')).toBeNull();
    // It opened from the replica, which holds the newest 50; older ones come a page of 50 at a time.
    expect(core.calls.filter((c) => c.method === 'messages.page').every((c) => (c.args as { limit: number }).limit === 50)).toBe(true);
  });
});
