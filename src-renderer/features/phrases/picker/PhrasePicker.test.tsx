import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDeskStore } from '../../../state/store';
import { smallShop } from '../../../test/testShop';
import { renderDesk } from '../../../test/renderDesk';

beforeEach(() => resetDeskStore());

async function openChat(nick: string) {
  const core = smallShop();
  const view = renderDesk(core.client());
  await view.user.click((await screen.findAllByText(nick))[0]!);
  const box = await screen.findByRole('textbox', { name: '回复内容' });
  return { core, box, ...view };
}

describe('the phrase picker', () => {
  it('finds a phrase by "/fh", fills its variables from the conversation on Enter, and marks the unfilled one', async () => {
    const { core, box, user } = await openChat('橙子不酸');
    // The variables fill from the buyer's order: wait until the panel beside the chat shows it.
    await screen.findAllByText(/4701789617859361180/);
    await user.type(box, '/fh');
    const picker = await screen.findByRole('dialog', { name: '快捷短语' });
    const first = within(within(picker).getByRole('listbox')).getAllByRole('option')[0]!;
    expect(first).toHaveAttribute('aria-selected', 'true');
    expect(first).toHaveTextContent('发货时间');
    await user.keyboard('{Enter}');
    expect(screen.queryByRole('dialog', { name: '快捷短语' })).toBeNull();
    expect(box).toHaveValue('橙子不酸您好，订单4701789617859361180今天由顺丰速运发出，单号{物流单号}');
    // the hole is selected so the agent types over it, and it is named below the box
    const value = (box as HTMLTextAreaElement).value;
    await waitFor(() => expect((box as HTMLTextAreaElement).selectionStart).toBe(value.indexOf('{物流单号}')));
    expect(screen.getByRole('note')).toHaveTextContent('待填写：{物流单号}');
    await waitFor(() => expect(core.mutationArgs('phrases.markUsed')).toHaveLength(1));
    expect(core.mutationArgs('messages.send')).toHaveLength(0); // inserting never sends
  });

  it('matches by pinyin, moves with the arrow keys, previews with Tab and closes with Esc', async () => {
    const { box, user } = await openChat('芒果布丁');
    await user.type(box, '/kuaidi');
    const picker = await screen.findByRole('dialog', { name: '快捷短语' });
    expect(within(within(picker).getByRole('listbox')).getAllByRole('option')).toHaveLength(1);
    await user.clear(box);
    await user.type(box, '/');
    expect(within(screen.getByRole('listbox', { name: '匹配的短语' })).getAllByRole('option')).toHaveLength(3);
    await user.keyboard('{ArrowDown}');
    const options = within(screen.getByRole('listbox', { name: '匹配的短语' })).getAllByRole('option');
    expect(options[1]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{Tab}');
    expect(screen.getByRole('region', { name: '短语预览' })).toHaveTextContent(options[1]!.querySelector('.content')!.textContent!);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(box).toHaveValue('/');
  });

  it('opens with Ctrl+/ in the middle of a reply and inserts at the caret, on the personal tab', async () => {
    const { box, user } = await openChat('芒果布丁');
    await user.type(box, '您好！');
    await user.keyboard('{Control>}/{/Control}');
    const search = await screen.findByRole('searchbox', { name: '搜索短语：编码、文字或拼音' });
    expect(search).toHaveFocus();
    await user.click(screen.getByRole('tab', { name: '个人' }));
    await user.type(search, 'wh');
    await user.keyboard('{Enter}');
    expect(box).toHaveValue('您好！亲，我是小美，很高兴为您服务');
  });

  it('sends with Ctrl+Enter when the agent chose that send key, and Enter then breaks the line', async () => {
    const { core, box, user } = await openChat('芒果布丁');
    await user.selectOptions(screen.getByRole('combobox', { name: '发送键' }), 'ctrlEnter');
    expect(screen.getByRole('button', { name: /发送/ })).toHaveTextContent('Ctrl+Enter');
    await user.type(box, '第一行{Enter}第二行');
    expect(core.mutationArgs('messages.send')).toHaveLength(0);
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(core.read.messages('conv-c2').some((m) => m.text === '第一行\n第二行')).toBe(true));
  });
});
