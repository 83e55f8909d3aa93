import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDeskStore } from '../../state/store';
import { smallShop, type TestShop } from '../../test/testShop';
import { renderDesk } from '../../test/renderDesk';

beforeEach(() => resetDeskStore());

async function openChat(setUp?: (core: TestShop) => void) {
  const core = smallShop();
  setUp?.(core);
  const view = renderDesk(core.client());
  await view.user.click((await screen.findAllByText('芒果布丁'))[0]!);
  const box = await screen.findByRole('textbox', { name: '回复内容' });
  return { core, box, ...view };
}

describe('quick replies and muscle memory', () => {
  it('inserts the phrase whose code is exactly what was typed, not a longer code used more often', async () => {
    const { box, user } = await openChat((core) => {
      core.addPhrase({ id: 'r-wlcx', groupId: 'rg1', code: 'wlcx', title: '物流查询', content: '帮您查一下物流哦', useCount: 300 });
      core.addPhrase({ id: 'r-wl', groupId: 'rg1', code: 'wl', title: '物流', content: '物流信息在订单详情里可以看到', useCount: 0 });
    });
    await user.type(box, '/wl');
    const picker = await screen.findByRole('dialog', { name: '快捷短语' });
    // The agent presses Enter on what the picker shows (the phrases come from the replica, later under load).
    await within(picker).findByText('物流信息在订单详情里可以看到');
    await user.keyboard('{Enter}');
    expect(box).toHaveValue('物流信息在订单详情里可以看到');
  });

  it('keeps a "/…" that matches no phrase in the box on Enter, says why, and sends it only from the button', async () => {
    const { core, box, user } = await openChat();
    await user.type(box, '/zzz');
    const picker = await screen.findByRole('dialog', { name: '快捷短语' });
    expect(within(picker).getByText('没有匹配的短语')).toBeInTheDocument();
    await user.keyboard('{Enter}');
    expect(box).toHaveValue('/zzz');
    expect(screen.getByRole('alert')).toHaveTextContent('没有快捷短语匹配“/zzz”，所以没有发送。');
    expect(within(screen.getByRole('log')).queryByText('/zzz')).toBeNull();
    // The button is a deliberate send.
    await user.click(screen.getByRole('button', { name: /发送/ }));
    await waitFor(() => expect(core.read.messages('conv-c2').some((m) => m.text === '/zzz')).toBe(true));
    expect(core.mutationArgs('messages.send')).toHaveLength(1);
  });

  it('does not send a "/…" on Enter after Esc closed the picker, and says so', async () => {
    const { core, box, user } = await openChat();
    await user.type(box, '/fh');
    await screen.findByRole('dialog', { name: '快捷短语' });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    await user.keyboard('{Enter}');
    expect(box).toHaveValue('/fh');
    expect(screen.getByRole('alert')).toHaveTextContent('快捷短语已关闭，“/fh”没有发送。');
    // Typing on clears the line and opens the picker again.
    await user.type(box, 'x');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(core.mutationArgs('messages.send')).toHaveLength(0);
  });
});

describe('the reply limit', () => {
  it('shows how much is left near the limit, refuses a paste past it whole, and says why', async () => {
    const { box, user } = await openChat();
    await user.click(box);
    await user.paste('好'.repeat(4000));
    expect(screen.queryByText(/还可输入/)).toBeNull(); // far from the limit: no counter
    await user.paste('好'.repeat(600));
    expect(screen.getByText('还可输入 400 字')).toBeInTheDocument();
    await user.paste('多'.repeat(401));
    expect((box as HTMLTextAreaElement).value).toBe('好'.repeat(4600)); // nothing cut, nothing added
    expect(screen.getByRole('alert')).toHaveTextContent('粘贴的内容有 401 字，加上框里已有的 4,600 字会超过 5,000 字的上限，所以没有粘贴');
    await user.paste('够'.repeat(400));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByText('已达 5,000 字上限')).toBeInTheDocument();
    await user.type(box, '再');
    expect((box as HTMLTextAreaElement).value).toHaveLength(5000);
    expect(screen.getByRole('alert')).toHaveTextContent('一条回复最多 5,000 字');
  });

  it('refuses 6,000 pasted characters instead of keeping 5,000 of them', async () => {
    const { box, user } = await openChat();
    await user.click(box);
    await user.paste('长'.repeat(6000));
    expect(box).toHaveValue('');
    expect(screen.getByRole('alert')).toHaveTextContent('粘贴的内容有 6,000 字');
  });

  it('sends a reply of exactly the limit', async () => {
    const { core, box, user } = await openChat();
    await user.click(box);
    await user.paste('满'.repeat(5000));
    await user.keyboard('{Enter}');
    await waitFor(() => expect(core.read.messages('conv-c2').some((m) => m.text === '满'.repeat(5000))).toBe(true));
  });
});
