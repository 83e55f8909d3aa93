import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { ok, type Result } from '../../../shared/contract/errors';
import type { RecoveryStatus } from '../../../shared/contract/recovery';
import type { Client } from '../../ipc/client';
import { resetDeskStore } from '../../state/store';
import { smallShop } from '../../test/testShop';
import { renderDesk } from '../../test/renderDesk';

beforeEach(() => resetDeskStore());

const DAMAGED: RecoveryStatus = {
  state: 'damaged',
  reason: 'corrupt',
  keptAs: '/home/店主/.config/Jiedai/damaged/jiedai-20240618T101500000Z-damaged.sqlite',
  at: Date.UTC(2024, 5, 18, 10, 15),
  backups: [
    { name: 'jiedai-20240618T020000000Z-daily.sqlite', at: Date.UTC(2024, 5, 18, 2), bytes: 4_800_000, reason: 'daily' },
    { name: 'jiedai-20240617T020000000Z-migration.sqlite', at: Date.UTC(2024, 5, 17, 2), bytes: 4_700_000, reason: 'migration' },
  ],
};

/** A core that found its file damaged: recovery.* answer until a choice is made, then the shop serves. */
function damagedCore(status: RecoveryStatus = DAMAGED) {
  const shop = smallShop();
  const inner = shop.client();
  const calls: { method: string; args: unknown }[] = [];
  let recovered = false;
  const client: Client = {
    ...inner,
    call: ((method: string, args: unknown) => {
      calls.push({ method, args });
      if (method === 'recovery.status') return Promise.resolve(ok(recovered ? { state: 'ready' } : status));
      if (method === 'recovery.restoreBackup' || method === 'recovery.startEmpty') {
        recovered = true;
        return Promise.resolve(ok({ state: 'ready' }));
      }
      if (!recovered) return Promise.resolve({ ok: false, error: { code: 'store_damaged', message: 'damaged' } } satisfies Result<never>);
      return inner.call(method as never, args as never);
    }) as Client['call'],
  };
  return { client, calls };
}

describe('the recovery screen', () => {
  it('says what happened and where the damaged file is, lists the backups, and opens the desk after restoring the newest', async () => {
    const { client, calls } = damagedCore();
    const { user } = renderDesk(client);
    const main = await screen.findByRole('main', { name: '数据文件已损坏' });
    expect(within(main).getByText(/部分内容已损坏/)).toBeInTheDocument();
    expect(within(main).getByText(/没有用演示店铺替换它/)).toBeInTheDocument();
    expect(within(main).getByText(DAMAGED.state === 'damaged' ? DAMAGED.keptAs! : '')).toBeInTheDocument();
    const rows = within(within(main).getByRole('region', { name: '自动备份（最新的在前）' })).getAllByRole('listitem');
    expect(rows.map((r) => r.textContent)).toEqual([expect.stringContaining('每日备份'), expect.stringContaining('升级前备份')]);
    expect(screen.queryByRole('listbox', { name: '会话列表' })).toBeNull();

    await user.click(within(main).getByRole('button', { name: '从最新备份恢复' }));
    expect(await screen.findByRole('listbox', { name: '会话列表' })).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'recovery.restoreBackup')?.args).toEqual({});
    // The replica's sync never started against the damaged core.
    expect(calls.findIndex((c) => c.method.startsWith('sync.'))).toBeGreaterThan(calls.findIndex((c) => c.method === 'recovery.restoreBackup'));
  });

  it('starts empty only after a confirmation, and says when there is no backup', async () => {
    const { client, calls } = damagedCore({ ...DAMAGED, reason: 'empty', backups: [] } as RecoveryStatus);
    const { user } = renderDesk(client);
    const main = await screen.findByRole('main', { name: '数据文件已损坏' });
    expect(within(main).getByText(/是空的（0 字节）/)).toBeInTheDocument();
    expect(within(main).getByText('没有可用的自动备份。')).toBeInTheDocument();
    expect(within(main).getByRole('button', { name: '从最新备份恢复' })).toBeDisabled();
    await user.click(within(main).getByRole('button', { name: '从空白开始' }));
    expect(calls.some((c) => c.method === 'recovery.startEmpty')).toBe(false);
    await user.click(within(main).getByRole('button', { name: '确定' }));
    expect(await screen.findByRole('listbox', { name: '会话列表' })).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'recovery.startEmpty')).toBe(true);
  });
});

describe('a core whose disk is full', () => {
  it('is said in a banner in words, while the reply stays on the desk', async () => {
    const shop = smallShop();
    const inner = shop.client();
    let full = true;
    const client: Client = {
      ...inner,
      call: ((method: string, args: unknown) => {
        if (method === 'sync.push' && full) {
          return Promise.resolve(ok({ results: [], head: 0, stopped: { code: 'storage_full', message: 'the disk holding the data folder is full' } }));
        }
        return inner.call(method as never, args as never);
      }) as Client['call'],
    };
    const { user } = renderDesk(client);
    await user.click((await screen.findAllByText('橙子不酸'))[0]!);
    await user.type(await screen.findByRole('textbox', { name: '回复内容' }), '好的亲{Enter}');
    const banner = await screen.findByText(/磁盘已满，刚才的操作没有保存/);
    expect(banner).toHaveAttribute('role', 'alert');
    expect(banner.textContent).not.toContain('[object Object]');
    full = false;
    await screen.findByRole('listbox', { name: '会话列表' });
    await expect.poll(() => screen.queryByText(/磁盘已满/), { timeout: 10_000 }).toBeNull();
  });
});
