import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetDeskStore } from '../../state/store';
import { smallShop, type TestShop } from '../../test/testShop';
import { renderDesk } from '../../test/renderDesk';

beforeEach(() => resetDeskStore());
afterEach(() => vi.unstubAllGlobals());

/** A stand-in for the browser's Notification, recording what the desk shows. */
function fakeNotifications(permission: NotificationPermission) {
  const shown: { title: string; body: string; click: () => void }[] = [];
  class FakeNotification {
    static permission = permission;
    static requestPermission = vi.fn(async () => permission);
    onclick: (() => void) | null = null;
    constructor(title: string, options: { body: string }) {
      shown.push({ title, body: options.body, click: () => this.onclick?.() });
    }
    close() {}
  }
  vi.stubGlobal('Notification', FakeNotification);
  return shown;
}

async function supervisorDesk() {
  const core = smallShop();
  core.setDefaultAgent('lead-1');
  const view = renderDesk(core.client());
  await screen.findAllByText('芒果布丁');
  return { core, ...view };
}

/** A day as the shop's clock reads it (the small shop's time zone is the default, Asia/Shanghai). */
const day = (at: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(at));

/** A real export of the shop's recent chats, started from outside the desk (the owner's CLI or another window). */
async function exportToday(core: TestShop) {
  const started = await core.call('logExport.start', {
    filters: { from: day(Date.now() - 86_400_000), to: day(Date.now()) },
    format: 'csv',
    locale: 'zh-CN',
  });
  return { ...started!, file: started!.path.split('/').pop()!, folder: core.read.exportsFolder() };
}

describe('the end of an export', () => {
  it('is said on the desk too, with a button that opens the folder', async () => {
    fakeNotifications('default');
    const { core, user } = await supervisorDesk();
    const job = await exportToday(core);
    const notice = await screen.findByRole('alert', {}, { timeout: 10_000 });
    // the small shop's five messages, in the file the core wrote
    expect(notice).toHaveTextContent(`导出完成：5 行，已保存到 ${job.path}`);
    await user.click(within(notice).getByRole('button', { name: '打开所在文件夹' }));
    expect(await within(notice).findByRole('status')).toHaveTextContent(`已在文件管理器中打开 ${job.folder}`);
    expect(core.revealed).toEqual([job.folder]);
    await user.click(within(notice).getByRole('button', { name: '关闭' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('comes from the operating system when the window is in the background, and a click opens the folder', async () => {
    const shown = fakeNotifications('granted');
    const { core } = await supervisorDesk();
    vi.spyOn(document, 'hasFocus').mockReturnValue(false);
    const focus = vi.spyOn(window, 'focus').mockImplementation(() => undefined);
    const job = await exportToday(core);
    await vi.waitFor(() => expect(shown).toHaveLength(1), { timeout: 10_000 });
    expect(shown[0]).toMatchObject({ title: '接待 · 聊天记录导出', body: expect.stringContaining('导出完成') });
    act(() => shown[0]!.click());
    expect(focus).toHaveBeenCalled();
    await vi.waitFor(() => expect(core.revealed).toEqual([job.folder]));
  });

  it('does not pop up from the system while the owner is looking at the window, nor without permission', async () => {
    let shown = fakeNotifications('granted');
    const { core } = await supervisorDesk();
    vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    await exportToday(core);
    expect(await screen.findByRole('alert', {}, { timeout: 10_000 })).toHaveTextContent('导出完成');
    expect(shown).toEqual([]);
    await userEvent.setup().click(within(screen.getByRole('alert')).getByRole('button', { name: '关闭' }));
    shown = fakeNotifications('denied');
    vi.spyOn(document, 'hasFocus').mockReturnValue(false);
    await exportToday(core);
    expect(await screen.findByRole('alert', {}, { timeout: 10_000 })).toHaveTextContent('导出完成');
    expect(shown).toEqual([]);
  });
});
