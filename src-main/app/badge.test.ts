import { describe, expect, it } from 'vitest';
import { badgeStep } from './badge';

describe('the badge step', () => {
  it('sets the badge, flashes only when the count grows in the background, and answers itself', async () => {
    const badges: number[] = [];
    let flashes = 0;
    let focused = false;
    const step = badgeStep({ setBadgeCount: (n) => badges.push(n), flash: () => flashes++, isFocused: () => focused });
    expect(await step({ unread: 2 })).toEqual({ answer: { ok: true, value: null } });
    await step({ unread: 1 });
    focused = true;
    await step({ unread: 4 });
    expect(badges).toEqual([2, 1, 4]);
    expect(flashes).toBe(1);
  });

  it('leaves a malformed count to the core, which refuses it', async () => {
    const badges: number[] = [];
    const step = badgeStep({ setBadgeCount: (n) => badges.push(n), flash: () => {}, isFocused: () => true });
    expect(await step({ unread: -1 })).toEqual({ shell: {} });
    expect(await step({ unread: 1, extra: true })).toEqual({ shell: {} });
    expect(badges).toEqual([]);
  });
});
