import { useEffect, useLayoutEffect, useRef } from 'react';
import type { ConversationSummary } from '../../shared/domain/types';
import { useDeskStore } from '../state/store';

/** The conversation after (or before) the selected one in the list as shown; wraps around. */
export function neighbour(list: ConversationSummary[], selectedId: string | null, step: 1 | -1): ConversationSummary | undefined {
  if (list.length === 0) return undefined;
  const at = list.findIndex((c) => c.id === selectedId);
  if (at < 0) return step === 1 ? list[0] : list[list.length - 1];
  return list[(at + step + list.length) % list.length];
}

/** The next conversation where a buyer waits for an answer, after the selected one. */
export function nextWaiting(list: ConversationSummary[], selectedId: string | null): ConversationSummary | undefined {
  const at = list.findIndex((c) => c.id === selectedId);
  const ordered = [...list.slice(at + 1), ...list.slice(0, at + 1)];
  return ordered.find((c) => c.waitingSince !== null && c.id !== selectedId);
}

function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return Boolean(el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable));
}

/**
 * The desk's keys, wherever the focus is: Alt+↑/↓ previous/next conversation, Alt+Shift+↓ next
 * waiting buyer, Alt+E end and open the next waiting one, Alt+Z undo that end, Ctrl+K the command bar, Ctrl+F message search, ? (outside a text box) or Ctrl+Shift+/ the shortcut sheet.
 */
export function useDeskKeys(
  shown: ConversationSummary[],
  open: { commands: () => void; shortcuts: () => void; search: () => void; endAndNext?: () => void; undoEnd?: () => void },
) {
  // Read at the key, not from the render that registered the listener: a passive effect can run
  // after the DOM already shows a newer list (a key pressed in between acted on the old one: Alt+E
  // right after an undo found the conversation missing and did nothing). A layout effect runs in the
  // commit itself, before any input reaches the page.
  const latest = useRef({ shown, open });
  useLayoutEffect(() => {
    latest.current = { shown, open };
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.isComposing) return;
      const { shown, open } = latest.current;
      const { selectedConversationId, select } = useDeskStore.getState();
      let target: ConversationSummary | undefined;
      if (e.altKey && e.shiftKey && e.key === 'ArrowDown') target = nextWaiting(shown, selectedConversationId);
      else if (e.altKey && !e.shiftKey && e.key === 'ArrowDown') target = neighbour(shown, selectedConversationId, 1);
      else if (e.altKey && !e.shiftKey && e.key === 'ArrowUp') target = neighbour(shown, selectedConversationId, -1);
      else if (e.altKey && !e.shiftKey && !e.ctrlKey && (e.code === 'KeyE' || e.code === 'KeyZ')) {
        // By the key's place, not its letter: Alt+E on a Mac types "´".
        e.preventDefault();
        (e.code === 'KeyE' ? open.endAndNext : open.undoEnd)?.();
        return;
      } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        open.commands();
        return;
      } else if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        open.search();
        return;
      } else if (((e.ctrlKey || e.metaKey) && e.shiftKey && (e.key === '?' || e.key === '/')) || (e.key === '?' && !typingIn(e.target))) {
        e.preventDefault();
        open.shortcuts();
        return;
      } else return;
      e.preventDefault();
      if (target) select(target.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
