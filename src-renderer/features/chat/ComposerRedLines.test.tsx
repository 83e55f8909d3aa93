import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDeskStore } from '../../state/store';
import { smallShop } from '../../test/testShop';
import { renderDesk } from '../../test/renderDesk';

beforeEach(() => resetDeskStore());

async function openChat() {
  const core = smallShop();
  const view = renderDesk(core.client());
  await view.user.click((await screen.findAllByText('芒果布丁'))[0]!);
  const box = await screen.findByRole('textbox', { name: '回复内容' });
  return { core, box, ...view };
}

const marks = () => [...screen.getByTestId('red-line-backdrop').querySelectorAll('mark')].map((m) => m.textContent);

// user.type is slow on a loaded machine: the budget is for typing, not for the check.
describe('red lines in the composer', { timeout: 20_000 }, () => {
  it('marks a red-line word as it is typed, spaces and full-width letters included, as text', async () => {
    const { box, user } = await openChat();
    await user.type(box, '亲可以加 微 信，或者ＱＱ');
    await waitFor(() => expect(marks()).toEqual(['加 微 信', 'ＱＱ']));
    expect(screen.getByRole('note')).toHaveTextContent('含平台红线词：加微信QQ');
    expect(box).toHaveAttribute('aria-invalid', 'true');
    await user.clear(box);
    await user.type(box, '我们第一时间发货');
    expect(marks()).toEqual([]);
    expect(screen.queryByText('含平台红线词：')).toBeNull();
  });

  it("follows a supervisor's edit of the list as it arrives through the change feed", async () => {
    const { core, box, user } = await openChat();
    await user.type(box, '全场包邮，加微信');
    await waitFor(() => expect(marks()).toEqual(['加微信']));
    // A supervisor's save elsewhere: the core records it in its feed and pokes; no call from this desk.
    await core.call('redLines.save', { words: [{ word: '包邮', category: 'custom' }], exceptions: [] });
    await waitFor(() => expect(marks()).toEqual(['包邮']), { timeout: 5000 });
    expect(box).toHaveValue('全场包邮，加微信');
  });

  it('renders a pasted <img onerror> next to a red-line word as literal text', async () => {
    const { box, user } = await openChat();
    await user.click(box);
    await user.paste('<img src=x onerror=alert(1)>加微信');
    await waitFor(() => expect(marks()).toEqual(['加微信']));
    expect(screen.getByTestId('red-line-backdrop').querySelector('img')).toBeNull();
    expect(screen.getByTestId('red-line-backdrop')).toHaveTextContent('<img src=x onerror=alert(1)>加微信');
  });

  it('asks before sending on Enter; going back to edit sends nothing, keeps the text and counts a stop', async () => {
    const { core, box, user } = await openChat();
    await user.type(box, '这款全网第一');
    await user.keyboard('{Enter}');
    const dialog = await screen.findByRole('alertdialog', { name: '这条回复含有平台红线词' });
    expect(dialog).toHaveTextContent('“全网第一”可能违反平台规则');
    await user.click(within(dialog).getByRole('button', { name: '返回修改' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(box).toHaveValue('这款全网第一');
    expect(core.mutationArgs('messages.send')).toHaveLength(0);
    await waitFor(async () =>
      expect((await core.call('redLines.list', {})).words.find((w) => w.word === '全网第一')?.caughtStopped).toBe(1),
    );
  });

  it('sends after the agent confirms, and counts the catch as sent', async () => {
    const { core, box, user } = await openChat();
    await user.type(box, '支付宝转账也行');
    await user.click(screen.getByRole('button', { name: /发送/ }));
    const dialog = await screen.findByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: '仍然发送' }));
    await waitFor(() => expect(core.read.messages().some((m) => m.text === '支付宝转账也行')).toBe(true));
    expect(box).toHaveValue('');
    await waitFor(async () =>
      expect((await core.call('redLines.list', {})).words.find((w) => w.word === '支付宝转账')?.caughtSent).toBe(1),
    );
  });

  it('sends a clean reply at once, without asking', async () => {
    const { core, box, user } = await openChat();
    await user.type(box, '亲，今天下单明天发货');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(core.read.messages().some((m) => m.text === '亲，今天下单明天发货')).toBe(true));
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });
});
