import { act, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetDeskStore } from '../../state/store';
import { smallShop } from '../../test/fakeClient';
import { renderDesk } from '../../test/renderDesk';

beforeEach(() => resetDeskStore());
afterEach(() => vi.unstubAllGlobals());

const finished = { jobId: 'job-1', status: 'done' as const, path: '/home/owner/导出/聊天记录.csv', rows: 1_000_000, bytes: 169_000_000, durationMs: 6100 };

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
  core.info = { ...core.info, agent: core.agents[1]! };
  const view = renderDesk(core.client());
  await screen.findAllByText('芒果布丁');
  return { core, ...view };
}

describe('the end of an export', () => {
  it('is said on the desk too, with a button that opens the folder', async () => {
    fakeNotifications('default');
    const { core, user } = await supervisorDesk();
    act(() => core.emit('logExport.finished', finished));
    const notice = await screen.findByRole('alert');
    expect(notice).toHaveTextContent('导出完成：1,000,000 行，已保存到 /home/owner/导出/聊天记录.csv');
    await user.click(within(notice).getByRole('button', { name: '打开所在文件夹' }));
    expect(core.revealed).toEqual(['job-1']);
    expect(await within(notice).findByRole('status')).toHaveTextContent('已在文件管理器中打开 /home/owner/导出');
    await user.click(within(notice).getByRole('button', { name: '关闭' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('comes from the operating system when the window is in the background, and a click opens the folder', async () => {
    const shown = fakeNotifications('granted');
    const { core } = await supervisorDesk();
    vi.spyOn(document, 'hasFocus').mockReturnValue(false);
    const focus = vi.spyOn(window, 'focus').mockImplementation(() => undefined);
    act(() => core.emit('logExport.finished', finished));
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ title: '接待 · 聊天记录导出', body: expect.stringContaining('导出完成') });
    act(() => shown[0]!.click());
    expect(focus).toHaveBeenCalled();
    await vi.waitFor(() => expect(core.revealed).toEqual(['job-1']));
  });

  it('does not pop up from the system while the owner is looking at the window, nor without permission', async () => {
    let shown = fakeNotifications('granted');
    const { core } = await supervisorDesk();
    vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    act(() => core.emit('logExport.finished', finished));
    expect(shown).toEqual([]);
    shown = fakeNotifications('denied');
    vi.spyOn(document, 'hasFocus').mockReturnValue(false);
    act(() => core.emit('logExport.finished', { ...finished, jobId: 'job-2' }));
    expect(shown).toEqual([]);
    expect(await screen.findByRole('alert')).toHaveTextContent('导出完成');
  });
});
