/**
 * A notification from the operating system, for news the owner should get while the window is in
 * the background (an export of millions of rows takes minutes). Shown only when the page may
 * (permission granted) and the window is not in front; a click brings the window forward and runs
 * `onClick`. Returns whether one was shown.
 */
export function notifyDesktop(title: string, body: string, onClick?: () => void): boolean {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return false;
  if (document.visibilityState === 'visible' && document.hasFocus()) return false;
  const n = new Notification(title, { body, tag: 'jiedai-export' });
  n.onclick = () => {
    window.focus();
    onClick?.();
    n.close();
  };
  return true;
}

/** Asks once, on the owner's own click (browsers only ask from a user gesture), to notify later. */
export function askToNotify(): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => undefined);
}
