import { isAppUrl } from './appOrigin';

/** What the sender check needs to know of a frame (read off Electron's WebFrameMain). */
export type FrameIdentity = {
  url: string;
  processId: number;
  routingId: number;
  /** True for a top-level frame (no parent). */
  isTop: boolean;
};

/**
 * A contract call is answered only when it comes from the desk window's own top frame while that
 * frame shows our page: not from a subframe, not from another window, not after a navigation
 * elsewhere. (Electron's security guide: validate the sender of every IPC message.)
 */
export function isTrustedSender(sender: FrameIdentity | null, deskFrame: FrameIdentity | null): boolean {
  if (!sender || !deskFrame) return false;
  return sender.isTop && sender.processId === deskFrame.processId && sender.routingId === deskFrame.routingId && isAppUrl(sender.url);
}
