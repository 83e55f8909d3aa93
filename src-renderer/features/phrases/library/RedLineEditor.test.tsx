import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDeskStore } from '../../../state/store';
import { smallShop, type TestShop } from '../../../test/testShop';
import { renderDesk } from '../../../test/renderDesk';

beforeEach(() => resetDeskStore());

async function openRedLines(role: 'agent' | 'supervisor' = 'supervisor', setUp?: (core: TestShop) => Promise<void>) {
  const core = smallShop();
  if (role === 'supervisor') core.setDefaultAgent('lead-1');
  await setUp?.(core);
  const view = renderDesk(core.client());
  await view.user.click(await screen.findByRole('button', { name: '短语库' }));
  await view.user.click(await screen.findByRole('button', { name: '红线词' }));
  const table = await screen.findByRole('table', { name: '平台红线词' });
  await within(table).findByRole('row', { name: '加微信' });
  return { core, table, ...view };
}

describe('the red-line list screen', { timeout: 20_000 }, () => {
  it('lists the words with how often each was caught, most caught first', async () => {
    const { table } = await openRedLines('supervisor', async (core) => {
      for (let i = 0; i < 3; i++) await core.call('redLines.recordCatches', { words: ['QQ'], outcome: 'sent' });
      for (let i = 0; i < 12; i++) await core.call('redLines.recordCatches', { words: ['ＱＱ'], outcome: 'stopped' });
    });
    const rows = within(table).getAllByRole('row');
    expect(rows[1]).toHaveAccessibleName('QQ');
    expect(
      within(rows[1]!)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(expect.arrayContaining(['QQ', '3', '12']));
  });

  it('lets a supervisor add and remove words and edit exceptions, saved in one go', async () => {
    const { core, user, table } = await openRedLines();
    await user.type(screen.getByRole('textbox', { name: '新红线词' }), '拍A发B');
    await user.selectOptions(screen.getByRole('combobox', { name: '类别' }), '站外退款');
    await user.click(screen.getByRole('button', { name: '添加' }));
    // The supervisor sees the word in the list before going on (a loaded machine renders it a moment later).
    await within(table).findByRole('row', { name: '拍A发B' });
    await user.click(within(table).getByRole('button', { name: '删除“加微信”' }));
    await user.type(screen.getByRole('textbox', { name: '例外（每行一个）' }), '\n最好评');
    await user.click(screen.getByRole('button', { name: '保存红线词' }));
    expect(await screen.findByRole('status')).toHaveTextContent(/已保存 \d+ 个红线词/);
    const stored = await core.call('redLines.list', {});
    expect(stored.words.find((w) => w.word === '拍A发B')?.category).toBe('refund');
    expect(stored.words.some((w) => w.word === '加微信')).toBe(false);
    expect(stored.exceptions).toContain('最好评');
  });

  it('shows an agent the list without ways to change it', async () => {
    await openRedLines('agent');
    expect(screen.getByText('红线词由主管和店主维护，你可以查看。')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '保存红线词' })).toBeNull();
    expect(screen.queryByRole('textbox', { name: '新红线词' })).toBeNull();
  });
});

describe('phrases with red-line words', { timeout: 20_000 }, () => {
  it('tells a supervisor why a phrase with a red-line word was not saved, and saves it when they confirm', async () => {
    const core = smallShop();
    core.setDefaultAgent('lead-1');
    const { user } = renderDesk(core.client());
    await user.click(await screen.findByRole('button', { name: '短语库' }));
    await within(await screen.findByRole('listbox', { name: '团队短语的分组' })).findAllByRole('option');
    await user.click(screen.getByRole('button', { name: '＋ 新建短语' }));
    const form = screen.getByRole('form', { name: '编辑短语' });
    await user.type(within(form).getByRole('textbox', { name: '短语内容' }), '本店销量第一');
    // (the red-line list arrives with the replica's later parts: wait for the mark, not the first keystroke)
    expect(await within(form).findByRole('note')).toHaveTextContent('含平台红线词：销量第一');
    await user.click(within(form).getByRole('button', { name: '保存' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('这条短语含有平台红线词：销量第一。确认无误可以仍然保存。');
    expect(core.read.phrases('lead-1').some((p) => p.content === '本店销量第一')).toBe(false);
    await user.click(within(form).getByRole('button', { name: '仍然保存' }));
    await waitFor(() => expect(core.read.phrases('lead-1').some((p) => p.content === '本店销量第一')).toBe(true));
  });
});
