import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Client } from '../../ipc/client';
import { resetDeskStore } from '../../state/store';
import { smallShop, type TestShop } from '../../test/testShop';
import { renderDesk } from '../../test/renderDesk';

beforeEach(() => resetDeskStore());
afterEach(() => vi.restoreAllMocks());

async function exportScreen(options: { prepare?: (core: TestShop) => void; client?: (core: TestShop) => Client } = {}) {
  const core = smallShop();
  core.setDefaultAgent('lead-1');
  options.prepare?.(core);
  const view = renderDesk(options.client ? options.client(core) : core.client());
  await screen.findAllByText('芒果布丁');
  await view.user.click(screen.getByRole('button', { name: '聊天记录导出' }));
  // the core's count of the last seven days: the small shop's five messages in three conversations
  await screen.findByText(/将导出 5 条消息，来自 3 个会话/);
  return { core, ...view };
}

const jobs = () => screen.getByRole('region', { name: '导出任务' });
const FILE = /^测试小店-聊天记录-\d{4}-\d\d-\d\d_\d{4}-\d\d-\d\d-\d{8}T\d{6}\.(csv|xlsx)$/;

describe('the export screen', () => {
  it('shows a started export at once: progress, rate, time left and cancel', async () => {
    const { core, user } = await exportScreen();
    // The small shop exports in an instant: hold the job list's answer and the end of the job, so
    // what the desk shows from the start answer and from progress events can be seen.
    core.hold('logExport.list');
    core.hold('logExport.finished');
    await user.click(screen.getByRole('button', { name: '开始导出' }));
    const job = await within(jobs()).findByRole('listitem', { name: FILE });
    expect(within(job).getByText('进行中')).toBeTruthy();
    const [started] = await core.call('logExport.list', {});
    act(() => core.emit('logExport.progress', { jobId: started!.id, done: 5_000, total: 20_000, rate: 2_500, etaMs: 6_000 }));
    expect(within(job).getByRole('progressbar', { name: '导出进度' })).toHaveAttribute('value', '5000');
    expect(job).toHaveTextContent('5,000 / 20,000 行 · 2,500 行/秒 · 剩余');
    await user.click(within(job).getByRole('button', { name: '取消' }));
    expect(core.calls.filter((c) => c.method === 'logExport.cancel').map((c) => c.args)).toEqual([{ jobId: started!.id }]);
  });

  it('never sends a path: there is no destination field, and the start carries filters, format and language only', async () => {
    const { core, user } = await exportScreen();
    expect(screen.queryByLabelText('保存到')).toBeNull();
    expect(screen.getByText(/文件保存在数据文件夹的 exports 中/)).toBeTruthy();
    await user.click(screen.getByRole('radio', { name: 'Excel（.xlsx）' }));
    await user.click(screen.getByRole('button', { name: '开始导出' }));
    expect((await within(jobs()).findByRole('listitem', { name: FILE })).getAttribute('aria-label')).toMatch(/\.xlsx$/);
    const start = core.calls.find((c) => c.method === 'logExport.start')!.args as Record<string, unknown>;
    expect(Object.keys(start).sort()).toEqual(['filters', 'format', 'locale']);
    expect(start.format).toBe('xlsx');
  });

  it('starts nothing and says nothing when the desktop save dialog is closed', async () => {
    const { core, user } = await exportScreen({ client: (core) => core.client({ transport: 'electron', saveDialog: 'closed' }) });
    await user.click(screen.getByRole('button', { name: '开始导出' }));
    expect(await within(jobs()).findByText('还没有导出过')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(await core.call('logExport.list', {})).toEqual([]);
  });
  it('keeps the filters when the owner goes to the desk and comes back', async () => {
    const { user } = await exportScreen();
    await user.type(screen.getByLabelText('包含关键词的会话'), '退款');
    await user.clear(screen.getByLabelText('开始日期'));
    await user.type(screen.getByLabelText('开始日期'), '2024-01-02');
    await user.click(screen.getByRole('checkbox', { name: '系统' }));
    await user.click(screen.getByRole('radio', { name: 'JSON Lines' }));
    await user.click(screen.getByRole('button', { name: '接待台' }));
    expect(screen.queryByLabelText('包含关键词的会话')).toBeNull();
    await user.click(screen.getByRole('button', { name: '聊天记录导出' }));
    expect(await screen.findByLabelText('包含关键词的会话')).toHaveValue('退款');
    expect(screen.getByLabelText('开始日期')).toHaveValue('2024-01-02');
    expect(screen.getByRole('checkbox', { name: '系统' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'JSON Lines' })).toBeChecked();
  });

  it('defaults to the last seven days as the shop’s clock reads them, not this computer’s', async () => {
    // 2024-06-18 12:00 UTC is already 2024-06-19 in Kiritimati (UTC+14).
    const now = Date.UTC(2024, 5, 18, 12);
    const realNow = Date.now.bind(Date);
    let shift = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => ((shift ||= realNow() - now), realNow() - shift));
    const core = smallShop();
    core.setDefaultAgent('lead-1');
    core.setTimeZone('Pacific/Kiritimati');
    const { user } = renderDesk(core.client());
    await user.click(await screen.findByRole('button', { name: '聊天记录导出' }));
    expect(screen.getByLabelText('开始日期')).toHaveValue('2024-06-13');
    expect(screen.getByLabelText('结束日期')).toHaveValue('2024-06-19');
  });

  it('offers 下载 for a finished export in browser mode, through a one-time ticket', async () => {
    const { core, user } = await exportScreen();
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(`${this.getAttribute('href')} ${this.download}`);
    });
    await user.click(screen.getByRole('button', { name: '开始导出' }));
    const notice = await screen.findByRole('alert');
    expect(notice).toHaveTextContent('导出完成：5 行');
    await user.click(within(notice).getByRole('button', { name: '下载' }));
    const [job] = await core.call('logExport.list', {});
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(core.calls.filter((c) => c.method === 'logExport.download').map((c) => c.args)).toEqual([{ jobId: job!.id }]);
    expect(clicked[0]).toMatch(/^\/downloads\/[A-Za-z0-9_-]{20,} 测试小店-聊天记录-.+\.csv$/);
  });

  it('offers no 下载 in the desktop app, where the file is where the owner chose', async () => {
    await exportScreen({ client: (core) => core.client({ transport: 'electron' }) });
    expect(screen.getByText(/点击开始导出后，选择文件保存的位置/)).toBeTruthy();
  });

  it('says the export needs the team hub when a team desk cannot reach it', async () => {
    const needsHub = { code: 'unavailable' as const, message: 'needs the hub', details: { needsHub: true } };
    const { user } = await exportScreen({
      client: (core) => {
        const client = core.client();
        const call = client.call.bind(client) as Client['call'];
        return Object.create(client, {
          call: {
            value: ((method: string, args: unknown) =>
              method === 'logExport.start'
                ? Promise.resolve({ ok: false, error: needsHub })
                : call(method as never, args as never)) as Client['call'],
          },
        }) as Client;
      },
    });
    await user.click(screen.getByRole('button', { name: '开始导出' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('导出聊天记录要在团队中心上进行，现在连不上团队中心。请在连上后再试。');
  });
});
