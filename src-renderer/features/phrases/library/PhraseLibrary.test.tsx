import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const userEventFor = () => userEvent.setup();
import { MAX_IMPORT_FILE_MB } from '../../../../shared/domain/phraseRules';
import { resetDeskStore } from '../../../state/store';
import { smallShop } from '../../../test/testShop';
import { renderDesk } from '../../../test/renderDesk';

beforeEach(() => resetDeskStore());

async function openLibrary(role: 'agent' | 'supervisor' = 'supervisor') {
  const core = smallShop();
  if (role === 'supervisor') core.setDefaultAgent('lead-1');
  const view = renderDesk(core.client());
  await view.user.click(await screen.findByRole('button', { name: '短语库' }));
  // The library reads the replica: wait for its groups to arrive.
  await within(await screen.findByRole('listbox', { name: '团队短语的分组' })).findAllByRole('option');
  return { core, ...view };
}

describe('the phrase library screen', () => {
  it('creates a phrase in a group with a code, and the picker finds it at once', async () => {
    const { core, user } = await openLibrary();
    await user.click(screen.getByRole('button', { name: '＋ 新建短语' }));
    const form = screen.getByRole('form', { name: '编辑短语' });
    await user.type(within(form).getByRole('textbox', { name: '快捷编码' }), 'yhq');
    await user.type(within(form).getByRole('textbox', { name: '标题' }), '优惠券');
    await user.type(within(form).getByRole('textbox', { name: '短语内容' }), '亲，领券立减20元哦');
    await user.click(within(form).getByRole('button', { name: '保存' }));
    expect(await screen.findByRole('row', { name: '优惠券' })).toBeInTheDocument();
    expect(core.read.phrases('lead-1').find((p) => p.code === 'yhq')).toMatchObject({
      scope: 'team',
      groupId: 'rg1',
      content: '亲，领券立减20元哦',
    });
    // back at the desk, "/yhq" finds it without a reload
    await user.click(screen.getByRole('button', { name: '接待台' }));
    await user.click((await screen.findAllByText('芒果布丁'))[0]!);
    await user.type(await screen.findByRole('textbox', { name: '回复内容' }), '/yhq');
    expect(await within(await screen.findByRole('listbox', { name: '匹配的短语' })).findByText('优惠券')).toBeInTheDocument();
  });

  it('explains what is wrong before saving, and says when the core finds the code taken', async () => {
    const { user } = await openLibrary();
    await user.click(screen.getByRole('button', { name: '＋ 新建短语' }));
    const form = screen.getByRole('form', { name: '编辑短语' });
    await user.type(within(form).getByRole('textbox', { name: '快捷编码' }), 'a b');
    expect(within(form).getByText('快捷编码不能有空格')).toBeInTheDocument();
    expect(within(form).getByRole('button', { name: '保存' })).toBeDisabled();
    await user.clear(within(form).getByRole('textbox', { name: '快捷编码' }));
    await user.type(within(form).getByRole('textbox', { name: '快捷编码' }), 'kd');
    await user.type(within(form).getByRole('textbox', { name: '短语内容' }), '另一个快递说明');
    await user.click(within(form).getByRole('button', { name: '保存' }));
    expect(await within(form).findByText('这个快捷编码已被同一短语库中的其他短语使用')).toBeInTheDocument();
  });

  it('edits, reorders, moves and deletes phrases, and creates a personal group', async () => {
    const { core, user } = await openLibrary();
    await user.click(await screen.findByRole('button', { name: '编辑 发货时间' }));
    const form = screen.getByRole('form', { name: '编辑短语' });
    await user.clear(within(form).getByRole('textbox', { name: '标题' }));
    await user.type(within(form).getByRole('textbox', { name: '标题' }), '发货时效');
    await user.click(within(form).getByRole('button', { name: '保存' }));
    await screen.findByRole('row', { name: '发货时效' });
    await user.click(screen.getByRole('button', { name: '快递 上移' }));
    await waitFor(() =>
      expect(
        screen
          .getAllByRole('row')
          .slice(1)
          .map((r) => r.getAttribute('aria-label')),
      ).toEqual(['快递', '发货时效']),
    );

    await user.click(screen.getByRole('button', { name: '在个人短语中新建分组' }));
    await user.type(screen.getByRole('textbox', { name: '分组名称' }), '夜班{Enter}');
    await waitFor(() => expect(within(screen.getByRole('listbox', { name: '个人短语的分组' })).getByText('夜班')).toBeInTheDocument());
    await user.click(within(screen.getByRole('listbox', { name: '个人短语的分组' })).getByText('我的'));
    await user.selectOptions(screen.getByRole('combobox', { name: '把 问候 移到分组' }), '夜班');
    // 王姐's own phrase: another agent's personal phrases are never hers to see or move
    await waitFor(() =>
      expect(core.read.phrases('lead-1').find((p) => p.id === 'r4')!.groupId).toBe(
        core.read.phraseGroups('lead-1').find((g) => g.name === '夜班')?.id,
      ),
    );

    vi.spyOn(window, 'confirm').mockReturnValue(true);
    await user.click(within(screen.getByRole('listbox', { name: '团队短语的分组' })).getByText('物流'));
    await user.click(screen.getByRole('button', { name: '删除 快递' }));
    await waitFor(() => expect(core.read.phrases('lead-1').some((p) => p.id === 'r2')).toBe(false));
  });

  it('shows an agent the team library read-only, without import, while their own phrases stay editable', async () => {
    await openLibrary('agent');
    expect(screen.getByText(/团队短语由主管和店主维护/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '导入…' })).toBeNull();
    expect(screen.queryByRole('button', { name: '编辑 发货时间' })).toBeNull();
    expect(screen.getByRole('button', { name: '＋ 新建短语' })).toBeDisabled();
    await userEventFor().click(within(screen.getByRole('listbox', { name: '个人短语的分组' })).getByText('我的'));
    expect(await screen.findByRole('button', { name: '编辑 问候' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '＋ 新建短语' })).toBeEnabled();
  });

  it('lets the desk switch to the supervisor account, which can import', async () => {
    const { user } = await openLibrary('agent');
    await user.selectOptions(screen.getByRole('combobox', { name: '当前账号' }), '主管-王姐（主管）');
    expect(await screen.findByRole('button', { name: '导入…' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '聊天记录导出' })).toBeInTheDocument();
  });

  it('refuses a file over the import limit before reading it, in the words the core uses for it', async () => {
    const { user } = await openLibrary();
    await user.click(screen.getByRole('button', { name: '导入…' }));
    const big = new File(['分组,快捷短语'], 'big.csv', { type: 'text/csv' });
    Object.defineProperty(big, 'size', { value: (MAX_IMPORT_FILE_MB + 1) * 1024 * 1024 });
    await user.upload(screen.getByLabelText('选择文件（.xlsx / .csv / .tsv / .txt / .json）'), big);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      `文件有 ${MAX_IMPORT_FILE_MB + 1} MB，超过 ${MAX_IMPORT_FILE_MB} MB 的上限，请拆分后再导入。`,
    );
  });
});
