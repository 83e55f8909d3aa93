import { act, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { fail } from '../../../shared/contract/errors';
import type { TeamStatus } from '../../../shared/contract/team';
import { resetDeskStore } from '../../state/store';
import { renderDesk } from '../../test/renderDesk';
import { smallShop } from '../../test/testShop';

beforeEach(() => resetDeskStore());

const HUB = 'http://192.168.1.10:5190';

function teamStatus(over: Omit<Partial<TeamStatus>, 'bootstrap'> & { bootstrap?: Partial<TeamStatus['bootstrap']> } = {}): TeamStatus {
  return {
    mode: 'team',
    hubUrl: HUB,
    account: { id: 'agent-1', nick: '小美', role: 'agent' },
    link: 'online',
    pending: 0,
    lastSyncedAt: Date.now(),
    syncing: true,
    ...over,
    bootstrap: { ready: true, loading: false, partsDone: 10, partsTotal: 10, rows: 0, ...over.bootstrap },
  };
}

async function openConnectFromCommandBar(user: ReturnType<typeof renderDesk>['user']) {
  await screen.findByRole('listbox', { name: '会话列表' });
  await user.keyboard('{Control>}k{/Control}');
  const bar = await screen.findByRole('dialog', { name: '命令栏' });
  await user.type(within(bar).getByRole('combobox'), '团队');
  await user.click(within(bar).getByRole('option', { name: '连接团队中心…' }));
  return screen.findByRole('dialog', { name: '连接团队中心' });
}

describe('连接团队中心 (the sign-in form)', () => {
  it('a standalone desk shows no hub state, only the entry in Settings and Ctrl+K', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await screen.findByRole('listbox', { name: '会话列表' });
    expect(screen.queryByRole('button', { name: /^团队中心：/ })).toBeNull();
    await user.click(screen.getByRole('button', { name: '设置' }));
    const settings = await screen.findByRole('dialog', { name: '设置' });
    expect(within(settings).getByText('未连接，单机使用示例店铺')).toBeInTheDocument();
    await user.click(within(settings).getByRole('button', { name: '连接团队中心…' }));
    expect(await screen.findByRole('dialog', { name: '连接团队中心' })).toBeInTheDocument();
  });

  it('submits with Enter; the core’s refusal comes back as a sentence, the password is cleared for another try', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    const dialog = await openConnectFromCommandBar(user);
    const address = within(dialog).getByLabelText('团队中心地址');
    expect(address).toHaveFocus();
    // The real core refuses an address it will not post a password to, before any request.
    await user.type(address, 'ftp://hub.example');
    await user.type(within(dialog).getByLabelText('账号'), '小美');
    await user.type(within(dialog).getByLabelText('密码'), 'secret-pass{Enter}');
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(/^团队中心地址不对：请填写 http:\/\/ 或 https:\/\/ 开头的地址/);
    expect(within(dialog).getByLabelText('密码')).toHaveValue('');
    expect(core.calls.filter((c) => c.method === 'team.connect').map((c) => c.args)).toEqual([
      { hubUrl: 'ftp://hub.example', account: '小美', password: 'secret-pass' },
    ]);

    core.failures.set('team.connect', fail('unauthorized', 'wrong account or password', { reason: 'wrong_password' }));
    await user.clear(within(dialog).getByLabelText('团队中心地址'));
    await user.type(within(dialog).getByLabelText('团队中心地址'), HUB);
    await user.type(within(dialog).getByLabelText('密码'), 'wrong-pass{Enter}');
    await waitFor(() => expect(within(dialog).getByRole('alert')).toHaveTextContent('账号或密码不对（也可能是这个账号已被店主停用）。'));

    core.failures.set('team.connect', fail('limit_exceeded', 'slow down', { reason: 'rate_limited', retryAfterSeconds: 42 }));
    await user.type(within(dialog).getByLabelText('密码'), 'again-pass{Enter}');
    await waitFor(() => expect(within(dialog).getByRole('alert')).toHaveTextContent('登录尝试太多次了，请 42 秒后再试。'));
    expect(screen.getByRole('dialog', { name: '连接团队中心' })).toBeInTheDocument();
  });

  it('after the sign-in shows the download’s progress, closes once the shop is here; the header and banner follow the link', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    const dialog = await openConnectFromCommandBar(user);
    core.failures.set('team.connect', {
      ok: true,
      value: teamStatus({ link: 'connecting', bootstrap: { ready: false, loading: true, partsDone: 0, rows: 0 } }),
    } as never);
    await user.type(within(dialog).getByLabelText('团队中心地址'), HUB);
    await user.type(within(dialog).getByLabelText('账号'), '小美');
    await user.type(within(dialog).getByLabelText('密码'), 'agent-pass-1{Enter}');
    act(() => core.emit('team.status', teamStatus({ bootstrap: { ready: false, loading: true, partsDone: 3, rows: 1200 } })));
    expect(await within(dialog).findByText('正在下载店铺数据（第 3/10 部分，已收到 1,200 条）…')).toBeInTheDocument();
    expect(screen.getByText('正在从团队中心下载店铺数据（第 3/10 部分）…')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '团队中心：正在同步…' })).toBeInTheDocument();

    act(() => core.emit('team.status', teamStatus()));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: '连接团队中心' })).toBeNull());
    expect(screen.getByRole('button', { name: '团队中心：在线' })).toHaveTextContent('在线');
    // The account is the hub's: shown, not a menu.
    expect(screen.queryByRole('combobox', { name: '当前账号' })).toBeNull();

    act(() => core.emit('team.status', teamStatus({ link: 'offline', pending: 2 })));
    expect(await screen.findByRole('button', { name: '团队中心：离线 · 2 条操作待同步' })).toBeInTheDocument();
    expect(screen.getByText(/^团队中心暂时连不上。本机照常工作，2 条操作等待同步，连上后会自动补发。/)).toBeInTheDocument();

    act(() => core.emit('team.status', teamStatus({ link: 'signed-out', pending: 2 })));
    const banner = await screen.findByText(/^团队中心要求重新登录/);
    await user.click(within(banner.closest('[role="alert"]') as HTMLElement).getByRole('button', { name: '重新登录' }));
    const again = await screen.findByRole('dialog', { name: '重新登录团队中心' });
    expect(within(again).getByLabelText('团队中心地址')).toHaveValue(HUB);
    expect(within(again).getByLabelText('团队中心地址')).toHaveAttribute('readonly');
    expect(within(again).getByLabelText('账号')).toHaveValue('小美');
    expect(within(again).getByLabelText('密码')).toHaveFocus();
    expect(within(again).getByText('团队中心要求重新登录。你在本机做的 2 项操作都还在，登录后会自动补发。')).toBeInTheDocument();
  });

  it('a member desk shows its hub and leaves only when told to drop what still waits', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await screen.findByRole('listbox', { name: '会话列表' });
    act(() => core.emit('team.status', teamStatus({ pending: 3 })));
    await user.click(await screen.findByRole('button', { name: '团队中心：正在同步…' }));
    const dialog = await screen.findByRole('dialog', { name: '团队中心' });
    expect(within(dialog).getByText(HUB)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: '退出团队…' }));
    expect(within(dialog).getByText('还有 3 条操作没有同步到团队中心，现在退出会丢弃它们。')).toBeInTheDocument();
    core.failures.set('team.leave', {
      ok: true,
      value: { ...teamStatus(), mode: 'standalone', link: null, hubUrl: null, account: null },
    } as never);
    await user.click(within(dialog).getByRole('button', { name: '丢弃并退出' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: '团队中心' })).toBeNull());
    expect(core.calls.filter((c) => c.method === 'team.leave').map((c) => c.args)).toEqual([{ discardPending: true }]);
    expect(screen.queryByRole('button', { name: /^团队中心：/ })).toBeNull();
  });
});
