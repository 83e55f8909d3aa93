import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDeskStore } from '../../state/store';
import { damagedShop, smallShop } from '../../test/testShop';
import { renderDesk } from '../../test/renderDesk';

beforeEach(() => resetDeskStore());

describe('the recovery screen', () => {
  it('says what happened and where the damaged file is, lists the backups, and opens the desk after restoring the newest', async () => {
    const shop = damagedShop({ damage: 'corrupt', backups: ['daily', 'migration'] });
    const { user } = renderDesk(shop.client());
    const main = await screen.findByRole('main', { name: '数据文件已损坏' });
    expect(within(main).getByText(/部分内容已损坏/)).toBeInTheDocument();
    expect(within(main).getByText(/没有用演示店铺替换它/)).toBeInTheDocument();
    expect(shop.keptAs).toMatch(/damaged[/\\]jiedai-.*-damaged\.sqlite$/);
    expect(within(main).getByText(shop.keptAs)).toBeInTheDocument();
    const rows = within(within(main).getByRole('region', { name: '自动备份（最新的在前）' })).getAllByRole('listitem');
    expect(rows.map((r) => r.textContent)).toEqual([expect.stringContaining('每日备份'), expect.stringContaining('升级前备份')]);
    expect(screen.queryByRole('listbox', { name: '会话列表' })).toBeNull();

    await user.click(within(main).getByRole('button', { name: '从最新备份恢复' }));
    // the newest backup holds the small shop: its buyers are back on the desk
    expect(await within(await screen.findByRole('listbox', { name: '会话列表' })).findByText('芒果布丁')).toBeInTheDocument();
    expect(shop.calls.find((c) => c.method === 'recovery.restoreBackup')?.args).toEqual({});
    // The replica's sync never started against the damaged core.
    expect(shop.calls.findIndex((c) => c.method.startsWith('sync.'))).toBeGreaterThan(
      shop.calls.findIndex((c) => c.method === 'recovery.restoreBackup'),
    );
  });

  it('starts empty only after a confirmation, and says when there is no backup', async () => {
    const shop = damagedShop({ damage: 'empty', backups: [] });
    const { user } = renderDesk(shop.client());
    const main = await screen.findByRole('main', { name: '数据文件已损坏' });
    expect(within(main).getByText(/是空的（0 字节）/)).toBeInTheDocument();
    expect(within(main).getByText('没有可用的自动备份。')).toBeInTheDocument();
    expect(within(main).getByRole('button', { name: '从最新备份恢复' })).toBeDisabled();
    await user.click(within(main).getByRole('button', { name: '从空白开始' }));
    expect(shop.calls.some((c) => c.method === 'recovery.startEmpty')).toBe(false);
    await user.click(within(main).getByRole('button', { name: '确定' }));
    // an empty store: the desk opens with nothing in it
    expect(await screen.findByText('暂无进行中的会话')).toBeInTheDocument();
    expect(screen.queryByRole('main', { name: '数据文件已损坏' })).toBeNull();
    expect(shop.calls.some((c) => c.method === 'recovery.startEmpty')).toBe(true);
  });
});

describe('a core whose disk is full', () => {
  it('is said in a banner in words, while the reply stays on the desk', async () => {
    const shop = smallShop();
    const { user } = renderDesk(shop.client());
    await user.click((await screen.findAllByText('橙子不酸'))[0]!);
    const box = await screen.findByRole('textbox', { name: '回复内容' });
    shop.setDiskFull(true);
    // a long reply: it cannot fit in the pages the file already has
    await user.click(box);
    await user.paste('好的亲'.repeat(1500));
    await user.keyboard('{Enter}');
    const banner = await screen.findByText(/磁盘已满，刚才的操作没有保存/);
    expect(banner).toHaveAttribute('role', 'alert');
    expect(banner.textContent).not.toContain('[object Object]');
    expect(within(screen.getByRole('log')).getByText('发送中')).toBeInTheDocument();
    shop.setDiskFull(false);
    await waitFor(() => expect(screen.queryByText(/磁盘已满/)).toBeNull());
    await waitFor(() => expect(within(screen.getByRole('log')).queryByText('发送中')).toBeNull());
    expect(shop.read.messages('conv-c1').filter((m) => m.text === '好的亲'.repeat(1500))).toHaveLength(1);
  });
});
