import type { BrowserWindow, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { isTrustedSender, type FrameIdentity } from './senderCheck';

function identity(frame: WebFrameMain | null | undefined): FrameIdentity | null {
  if (!frame) return null;
  try {
    return { url: frame.url, processId: frame.processId, routingId: frame.routingId, isTop: frame.parent === null };
  } catch {
    return null; // a frame disposed mid-call: treat as unknown
  }
}

/** True when an IPC call comes from the desk window's top frame showing jiedai://app. */
export function isFromDeskWindow(event: IpcMainInvokeEvent, window: BrowserWindow | null): boolean {
  if (!window || window.isDestroyed()) return false;
  const contents = window.webContents;
  if (event.sender.id !== contents.id) return false;
  return isTrustedSender(identity(event.senderFrame), identity(contents.mainFrame));
}
