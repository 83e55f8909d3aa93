import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDeskStore } from '../../state/store';
import { smallShop } from '../../test/testShop';
import { renderDesk } from '../../test/renderDesk';
import { quoteOf } from './MessageBubble';

beforeEach(() => resetDeskStore());

describe('copy and quote a message', () => {
  it('quotes a long message by its start, on one line', () => {
    expect(quoteOf('在吗')).toBe('「在吗」\n');
    expect(quoteOf('a\n\nb  c')).toBe('「a b c」\n');
    expect(quoteOf('好'.repeat(70))).toBe(`「${'好'.repeat(60)}…」\n`);
  });

  it('引用 puts the buyer message at the start of the reply with the caret after it; 复制 copies the text as it is', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('橙子不酸'))[0]!);
    const log = await screen.findByRole('log', { name: '与 橙子不酸 的聊天记录' });
    const box = screen.getByRole('textbox', { name: '回复内容' });
    await user.type(box, '有的亲');
    const hostile = (await within(log).findByText('<img src=x onerror="window.__pwned=1">看看这个')).closest('.message') as HTMLElement;
    // (the list shows its rows once it has put itself at the newest: wait for the button, not only the text)
    await user.click(await within(hostile).findByRole('button', { name: '复制' }));
    // user-event gives the page a clipboard of its own: what was written there is read back.
    expect(await navigator.clipboard.readText()).toBe('<img src=x onerror="window.__pwned=1">看看这个');
    expect(await within(hostile).findByRole('button', { name: '已复制' })).toBeInTheDocument();
    const first = within(log).getByText('在吗').closest('.message') as HTMLElement;
    await user.click(within(first).getByRole('button', { name: '引用' }));
    expect(box).toHaveValue('「在吗」\n有的亲');
    await waitFor(() => expect(box).toHaveFocus());
    expect((box as HTMLTextAreaElement).selectionStart).toBe('「在吗」\n有的亲'.length);
  });
});
