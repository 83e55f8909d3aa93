import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDeskStore } from '../../state/store';
import { smallShop } from '../../test/testShop';
import { renderDesk } from '../../test/renderDesk';

beforeEach(() => resetDeskStore());

function shopWithHistory() {
  const core = smallShop();
  const now = Date.now();
  // earlier in 半夏微凉's conversation, through the core's ingest (indexed for search as any message)
  core.addMessages('conv-c3', [
    { id: 'h1', sender: 'buyer', text: '衣服太大了，我想退款', createdAt: now - 9_000_000 },
    { id: 'h2', sender: 'agent', text: '好的亲，退款三天内到账', createdAt: now - 8_000_000 },
    { id: 'h3', sender: 'buyer', text: '<b>尺码</b>偏大吗', createdAt: now - 7_000_000 },
  ]);
  return core;
}

describe('message search', () => {
  it('opens with Ctrl+F, finds a two-character term with the words marked as text, and opens the conversation at the hit', async () => {
    const core = shopWithHistory();
    const { user } = renderDesk(core.client());
    await screen.findAllByText('芒果布丁');
    await user.keyboard('{Control>}f{/Control}');
    const box = await screen.findByRole('searchbox', { name: '搜索全部聊天消息' });
    await user.type(box, '退款');
    const results = await screen.findByRole('listbox', { name: '搜索结果' });
    const options = await within(results).findAllByRole('option');
    expect(options).toHaveLength(2);
    expect(screen.getByRole('status')).toHaveTextContent('共 2 条消息');
    // newest first; the term is a <mark> holding exactly the word
    expect(options[0]).toHaveTextContent('好的亲，退款三天内到账');
    expect([...options[0]!.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['退款']);
    await user.keyboard('{ArrowDown}{Enter}');
    const opened = await screen.findByRole('region', { name: '与 半夏微凉 的会话' });
    const target = await within(opened).findByText('衣服太大了，我想退款');
    expect(target.closest('[aria-current="true"]')).not.toBeNull();
    expect(core.calls.find((c) => c.method === 'messages.around')?.args).toMatchObject({ conversationId: 'conv-c3', messageId: 'h1' });
  });

  it('passes the direction filter to the core, and shows buyer markup as plain text', async () => {
    const core = shopWithHistory();
    const { user } = renderDesk(core.client());
    await screen.findAllByText('芒果布丁');
    await user.click(screen.getByRole('button', { name: '消息搜索' }));
    await user.selectOptions(screen.getByRole('combobox', { name: '发送方' }), 'agent');
    await user.type(screen.getByRole('searchbox', { name: '搜索全部聊天消息' }), '退款');
    const options = await within(await screen.findByRole('listbox', { name: '搜索结果' })).findAllByRole('option');
    expect(options).toHaveLength(1);
    expect(core.calls.filter((c) => c.method === 'messages.search').at(-1)?.args).toMatchObject({ q: '退款', direction: 'agent' });
    await user.selectOptions(screen.getByRole('combobox', { name: '发送方' }), '');
    await user.clear(screen.getByRole('searchbox', { name: '搜索全部聊天消息' }));
    await user.type(screen.getByRole('searchbox', { name: '搜索全部聊天消息' }), '尺码');
    const hit = await within(await screen.findByRole('listbox', { name: '搜索结果' })).findByRole('option');
    expect(hit).toHaveTextContent('<b>尺码</b>偏大吗');
    expect(hit.querySelector('b')).toBeNull();
  });
});
