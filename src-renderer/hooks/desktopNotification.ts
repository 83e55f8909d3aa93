/**
 * A notification from the operating system, for news the agent should get while the window is in
 * the background (a buyer wrote; an export of millions of rows finished). Shown only when the page may
 * (permission granted) and the window is not in front; a click brings the window forward and runs
 * `onClick`. One `tag` replaces the previous notification of the same tag instead of piling up.
 * Text goes in as text: the system draws title and body, never as markup. Returns whether one was shown.
 */
export function notifyDesktop(title: string, body: string, onClick?: () => void, tag = 'jiedai-export'): boolean {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return false;
  if (document.visibilityState === 'visible' && document.hasFocus()) return false;
  const n = new Notification(title, { body, tag });
  n.onclick = () => {
    window.focus();
    onClick?.();
    n.close();
  };
  return true;
}

/** Asks once, on the user's own click (browsers only ask from a user gesture), to notify later. */
export function askToNotify(): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => undefined);
}
