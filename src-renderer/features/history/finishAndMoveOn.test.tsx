import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDeskStore } from '../../state/store';
import { smallShop } from '../../test/testShop';
import { renderDesk } from '../../test/renderDesk';

beforeEach(() => resetDeskStore());

const list = () => within(screen.getByRole('listbox'));
const openChat = (nick: string) => screen.findByRole('log', { name: `与 ${nick} 的聊天记录` });

describe('finish and move on', () => {
  it('结束 ends at once, opens the next waiting buyer, and Alt+Z undoes it', async () => {
    const core = smallShop();
    core.buyerWrites('c3', '还在吗？');
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('芒果布丁'))[0]!);
    await openChat('芒果布丁');
    await user.click(screen.getByRole('button', { name: '结束会话' }));
    // The next buyer waiting for an answer is open (橙子不酸, for 30 s); the ended one has left the list.
    expect(await screen.findByText('已结束与 芒果布丁 的会话')).toBeInTheDocument();
    expect(await openChat('橙子不酸')).toBeInTheDocument();
    await waitFor(() => expect(list().queryByText('芒果布丁')).toBeNull());
    await waitFor(() => expect(core.mutationArgs('conversations.end')).toEqual([{ conversationId: 'conv-c2' }]));
    await user.keyboard('{Alt>}z{/Alt}');
    expect(await openChat('芒果布丁')).toBeInTheDocument();
    expect(await list().findByText('芒果布丁')).toBeInTheDocument();
    expect(core.mutationArgs('conversations.reopen')).toEqual([{ conversationId: 'conv-c2' }]);
    expect(screen.queryByText('已结束与 芒果布丁 的会话')).toBeNull();
  });

  it('an undo shows the conversation again at once, with its messages, before the core’s row is pulled', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('芒果布丁'))[0]!);
    await openChat('芒果布丁');
    await user.click(screen.getByRole('button', { name: '结束会话' }));
    await waitFor(() => expect(core.mutationArgs('conversations.end')).toEqual([{ conversationId: 'conv-c2' }]));
    await waitFor(() => expect(list().queryByText('芒果布丁')).toBeNull());
    // The end is in and pulled (its messages have left the replica); no later pull gets through now.
    await waitFor(() => expect(core.calls.filter((c) => c.method === 'sync.pull').length).toBeGreaterThan(0));
    core.hold('sync.pull');
    await user.keyboard('{Alt>}z{/Alt}');
    const chat = await openChat('芒果布丁');
    expect(await list().findByText('芒果布丁')).toBeInTheDocument();
    expect(await within(chat).findByText('在吗')).toBeInTheDocument();
    core.release('sync.pull');
    await waitFor(() => expect(core.mutationArgs('conversations.reopen')).toEqual([{ conversationId: 'conv-c2' }]));
    expect(list().getByText('芒果布丁')).toBeInTheDocument();
  });

  it('Alt+E ends the open conversation and moves to the next waiting buyer', async () => {
    const core = smallShop();
    core.buyerWrites('c3', '还在吗？');
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('半夏微凉'))[0]!);
    await openChat('半夏微凉');
    await user.keyboard('{Alt>}e{/Alt}');
    // 芒果布丁 has waited longest of those still waiting (4 minutes), so it comes next.
    expect(await openChat('芒果布丁')).toBeInTheDocument();
    await waitFor(() => expect(core.mutationArgs('conversations.end')).toEqual([{ conversationId: 'conv-c3' }]));
  });
  it('a reply sent with Enter and Alt+E pressed at once is stored before the end, never refused', async () => {
    const core = smallShop();
    core.buyerWrites('c3', '还在吗？');
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('半夏微凉'))[0]!);
    await openChat('半夏微凉');
    await user.type(screen.getByRole('textbox', { name: '回复内容' }), '好的亲，再见');
    // One keystroke after the other, no wait between: the agent's usual "reply and end".
    await user.keyboard('{Enter}{Alt>}e{/Alt}');
    expect(await openChat('芒果布丁')).toBeInTheDocument();
    await waitFor(() => expect(core.mutationArgs('conversations.end')).toEqual([{ conversationId: 'conv-c3' }]));
    await waitFor(() => expect(core.read.messages('conv-c3').map((m) => m.text)).toContain('好的亲，再见'));
    expect(core.read.conversation('conv-c3')?.status).toBe('ended');
  });
});

describe('历史', () => {
  it('finds an ended conversation by nick, reads it, and reopens it at the desk', async () => {
    const core = smallShop();
    await core.as('agent-1')('messages.send', { id: 'reply-c1', conversationId: 'conv-c1', text: '亲，在的' });
    await core.call('conversations.end', { conversationId: 'conv-c1' });
    await core.call('conversations.end', { conversationId: 'conv-c2' });
    const { user } = renderDesk(core.client());
    await screen.findAllByText('半夏微凉');
    await user.click(screen.getByRole('button', { name: '历史会话' }));
    const history = await screen.findByRole('listbox', { name: '历史会话' });
    // 我接待的 first: both were agent-1's.
    expect(await within(history).findByText('橙子不酸')).toBeInTheDocument();
    expect(within(history).getByText('芒果布丁')).toBeInTheDocument();
    await user.type(screen.getByRole('searchbox', { name: '按买家昵称查找' }), '橙子');
    await waitFor(() => expect(within(history).queryByText('芒果布丁')).toBeNull());
    await user.click(within(history).getByText('橙子不酸'));
    const ended = await screen.findByRole('region', { name: '与 橙子不酸 的历史会话' });
    expect(await within(ended).findByText('亲，在的')).toBeInTheDocument();
    await user.click(within(ended).getByRole('button', { name: '重新打开' }));
    expect(await openChat('橙子不酸')).toBeInTheDocument();
    expect(await list().findByText('橙子不酸')).toBeInTheDocument();
    await waitFor(() => expect(core.mutationArgs('conversations.reopen')).toEqual([{ conversationId: 'conv-c1' }]));
  });

  it('shows a conversation ended a moment before 历史 opened once the core has the end', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('芒果布丁'))[0]!);
    await openChat('芒果布丁');
    // The end waits in the desk's outbox: the core does not have it when 历史 asks.
    core.hold('sync.push');
    await user.click(screen.getByRole('button', { name: '结束会话' }));
    await waitFor(() => expect(list().queryByText('芒果布丁')).toBeNull());
    await user.click(screen.getByRole('button', { name: '历史会话' }));
    await screen.findByText('没有已结束的会话');
    core.release('sync.push');
    const history = await screen.findByRole('listbox', { name: '历史会话' });
    expect(await within(history).findByText('芒果布丁')).toBeInTheDocument();
  });
});
