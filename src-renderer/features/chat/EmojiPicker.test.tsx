import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDeskStore, useDeskStore } from '../../state/store';
import { smallShop } from '../../test/testShop';
import { renderDesk } from '../../test/renderDesk';
import { fromRaw, searchEmoji } from './emoji';

beforeEach(() => resetDeskStore());

describe('emoji search', () => {
  const all = fromRaw([
    { unicode: '👍', label: '拇指向上', tags: ['赞', '好'], group: 1, order: 2 },
    { unicode: '😀', label: '嘿嘿', tags: ['笑脸'], group: 0, order: 1 },
    { unicode: '😂', label: '笑哭了', tags: ['笑'], group: 0, order: 3 },
    { unicode: '🤨', label: '挑眉', tags: ['不赞成'], group: 0, order: 0 },
    { unicode: '🇨🇳', label: '旗: 中国', tags: ['旗'], group: 9, order: 4 },
  ]);
  it('finds by Chinese name, the name or tag that is the query first, and leaves flags out of the set', () => {
    expect(all.map((e) => e.unicode)).toEqual(['🤨', '😀', '👍', '😂']);
    expect(searchEmoji(all, '赞').map((e) => e.unicode)).toEqual(['👍', '🤨']);
    expect(searchEmoji(all, '笑').map((e) => e.unicode)).toEqual(['😂', '😀']);
    expect(searchEmoji(all, '旗')).toEqual([]);
    expect(searchEmoji(all, '  ')).toEqual([]);
  });
});

describe('the emoji picker', () => {
  it('puts the emoji found by its Chinese name at the caret, and keeps it among the recent ones', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('芒果布丁'))[0]!);
    const box = await screen.findByRole('textbox', { name: '回复内容' });
    await user.type(box, '亲，好评');
    await user.click(screen.getByRole('button', { name: '表情' }));
    const picker = screen.getByRole('dialog', { name: '选择表情' });
    await user.type(within(picker).getByRole('searchbox'), '赞');
    const grid = await within(picker).findByRole('grid');
    await waitFor(() => expect(within(grid).getByRole('button', { name: '拇指向上' })).toBeInTheDocument());
    await user.keyboard('{Enter}');
    expect(screen.queryByRole('dialog', { name: '选择表情' })).toBeNull();
    expect(box).toHaveValue('亲，好评👍️');
    expect(useDeskStore.getState().recentEmoji).toEqual(['👍️']);
    // Next time the recent ones come first; Esc closes and the box keeps its text.
    await user.click(screen.getByRole('button', { name: '表情' }));
    expect(await within(screen.getByRole('dialog', { name: '选择表情' })).findByRole('button', { name: '拇指向上' })).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: '选择表情' })).toBeNull();
    expect(box).toHaveFocus();
    expect(box).toHaveValue('亲，好评👍️');
  });
});
