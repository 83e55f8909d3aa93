import { ok } from '../../shared/contract/errors';
import { methods } from '../../shared/contract/methods';
import type { ShellStep } from './exportDialog';

/** What the badge step needs of Electron (app.setBadgeCount, the desk window's flashFrame and focus; fakes in tests). */
export type BadgeDeps = { setBadgeCount: (count: number) => void; flash: () => void; isFocused: () => boolean };

/**
 * `app.badge` in the desktop app: the unread count on the dock/taskbar badge, and the taskbar entry
 * flashes when the count grows while the window is in the background. The renderer's number is
 * checked by the contract's own schema here too; anything else is ignored (the core answers it).
 */
export function badgeStep(deps: BadgeDeps): ShellStep {
  let last = 0;
  return (args) => {
    const parsed = methods['app.badge'].args.safeParse(args ?? {});
    if (!parsed.success) return Promise.resolve({ shell: {} });
    const { unread } = parsed.data;
    deps.setBadgeCount(unread);
    if (unread > last && !deps.isFocused()) deps.flash();
    last = unread;
    return Promise.resolve({ answer: ok(null) });
  };
}
