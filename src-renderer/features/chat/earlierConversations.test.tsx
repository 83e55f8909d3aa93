import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDeskStore } from '../../state/store';
import { smallShop } from '../../test/testShop';
import { renderDesk } from '../../test/renderDesk';

beforeEach(() => resetDeskStore());

describe("a returning buyer's story", () => {
  it('offers the earlier conversation above the current one, with who served it, and says where this one starts', async () => {
    const core = smallShop();
    await core.as('agent-1')('messages.send', { id: 'old-reply', conversationId: 'conv-c1', text: '白色下周补货哦' });
    await core.call('conversations.end', { conversationId: 'conv-c1' });
    core.buyerWrites('c1', '上次说的白色补货了吗？');
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('橙子不酸'))[0]!);
    const log = await screen.findByRole('log', { name: '与 橙子不酸 的聊天记录' });
    expect(await within(log).findByText('上次说的白色补货了吗？')).toBeInTheDocument();
    expect(within(log).queryByText('白色下周补货哦')).toBeNull();
    await user.click(await within(log).findByRole('button', { name: /^查看上次会话（.+，小美）$/ }));
    expect(await within(log).findByText('白色下周补货哦')).toBeInTheDocument();
    expect(within(log).getByText('<img src=x onerror="window.__pwned=1">看看这个')).toBeInTheDocument();
    const separators = within(log)
      .getAllByRole('separator')
      .map((s) => s.getAttribute('aria-label'))
      .filter((l) => l?.includes('会话'));
    expect(separators).toHaveLength(2);
    expect(separators[0]).toMatch(/^历史会话 .+ · 接待：小美$/);
    expect(separators[1]).toBe('本次会话');
    // Nothing earlier than that: the edge says so.
    expect(await within(log).findByText('没有更早的消息了')).toBeInTheDocument();
  });

  it('a first-time buyer has nothing earlier to offer', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('芒果布丁'))[0]!);
    const log = await screen.findByRole('log', { name: '与 芒果布丁 的聊天记录' });
    expect(await within(log).findByText('没有更早的消息了')).toBeInTheDocument();
    expect(within(log).queryByRole('button', { name: /查看上次会话/ })).toBeNull();
  });
});
