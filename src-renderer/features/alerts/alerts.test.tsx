import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetDeskStore, useDeskStore } from '../../state/store';
import { smallShop } from '../../test/testShop';
import { renderDesk } from '../../test/renderDesk';

/** What the desk showed through the system's notifications, and the sounds it started (Web Audio). */
function fakeSystem(permission: NotificationPermission = 'granted') {
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
  const tones: number[] = [];
  class FakeAudioContext {
    state = 'running';
    currentTime = 0;
    destination = {};
    createOscillator() {
      const osc = {
        type: 'sine',
        frequency: { value: 0 },
        connect: (n: unknown) => n,
        start: () => tones.push(osc.frequency.value),
        stop() {},
      };
      return osc;
    }
    createGain() {
      return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (n: unknown) => n };
    }
    resume = async () => undefined;
  }
  vi.stubGlobal('Notification', FakeNotification);
  vi.stubGlobal('AudioContext', FakeAudioContext);
  return { shown, tones };
}

let focused = false;
beforeEach(() => {
  resetDeskStore();
  focused = false;
  vi.spyOn(document, 'hasFocus').mockImplementation(() => focused);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('a buyer writes', () => {
  it('while the window is in the background: a notification with the text as text, a sound, the count in the title; a click opens the chat', async () => {
    const system = fakeSystem();
    const core = smallShop();
    renderDesk(core.client());
    await screen.findAllByText('半夏微凉');
    // 橙子不酸 (c1) has three unread messages in the small shop.
    await waitFor(() => expect(document.title).toBe('(3) 接待 · 测试小店'));
    act(() => void core.buyerWrites('c3', '<b>在吗</b> 什么时候发货？'));
    await waitFor(() => expect(system.shown).toHaveLength(1));
    expect(system.shown[0]).toMatchObject({ title: '半夏微凉 发来新消息', body: '<b>在吗</b> 什么时候发货？' });
    expect(system.tones).toEqual([880]);
    await waitFor(() => expect(document.title).toBe('(4) 接待 · 测试小店'));
    act(() => system.shown[0]!.click());
    expect(await screen.findByRole('log', { name: '与 半夏微凉 的聊天记录' })).toBeInTheDocument();
    // Opening it reads it: its count goes.
    await waitFor(() => expect(document.title).toBe('(3) 接待 · 测试小店'));
  });

  it('a new buyer sounds different from a new message and is named as new', async () => {
    const system = fakeSystem();
    const core = smallShop();
    await core.call('conversations.end', { conversationId: 'conv-c3' });
    renderDesk(core.client());
    await screen.findAllByText('芒果布丁');
    act(() => void core.buyerWrites('c3', '你好，想问下尺码'));
    await waitFor(() => expect(system.shown.map((n) => n.title)).toEqual(['新买家 · 半夏微凉']));
    expect(system.tones).toEqual([880, 1320]);
  });

  it('says nothing for the conversation the agent is looking at, and nothing for what waited before the desk opened', async () => {
    const system = fakeSystem();
    const core = smallShop();
    core.buyerWrites('c2', '早就在等了');
    focused = true;
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('半夏微凉'))[0]!);
    const log = await screen.findByRole('log', { name: '与 半夏微凉 的聊天记录' });
    act(() => void core.buyerWrites('c3', '我就在这个窗口里'));
    expect(await within(log).findByText('我就在这个窗口里')).toBeInTheDocument();
    await waitFor(() => expect(within(screen.getByRole('listbox')).getByText('我就在这个窗口里')).toBeInTheDocument());
    expect(system.shown).toEqual([]);
    expect(system.tones).toEqual([]);
  });

  it("follows the agent's own choice: no sound, no notification", async () => {
    const system = fakeSystem();
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await screen.findAllByText('半夏微凉');
    await user.click(screen.getByRole('button', { name: '设置' }));
    const dialog = screen.getByRole('dialog', { name: '设置' });
    await user.selectOptions(within(dialog).getByRole('combobox', { name: '提示音' }), '关闭');
    await user.click(within(dialog).getByRole('checkbox', { name: '窗口不在前台时显示桌面通知' }));
    expect(useDeskStore.getState().alerts['agent-1']).toEqual({ sound: 'off', notify: false });
    await user.click(within(dialog).getByRole('button', { name: '关闭' }));
    act(() => void core.buyerWrites('c1', '还有货吗'));
    await waitFor(() => expect(document.title).toBe('(4) 接待 · 测试小店'));
    expect(system.shown).toEqual([]);
    expect(system.tones).toEqual([]);
  });
});

describe('the agent state', () => {
  it('explains each state, and asks before going offline with open conversations', async () => {
    fakeSystem();
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await screen.findAllByText('半夏微凉');
    const offline = screen.getByRole('radio', { name: '离线' });
    expect(offline).toHaveAttribute('title', '离线：不再给你分配新买家');
    await user.click(offline);
    const ask = screen.getByRole('alertdialog');
    expect(ask).toHaveTextContent('你还有 3 个进行中的会话');
    await user.click(within(ask).getByRole('button', { name: '取消' }));
    expect(core.read.agent('agent-1')?.state).toBe('online');
    await user.click(offline);
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: '离线' }));
    await waitFor(() => expect(core.read.agent('agent-1')?.state).toBe('offline'));
  });
});
