import { describe, expect, it } from 'vitest';
import { holdProblem, holdState, nextDue, SNOOZE_MAX_MS, snoozeUntil, withHolds, type PersonalItem } from './personal';

const item = (
  conversationId: string,
  hold: PersonalItem['hold'],
  state: PersonalItem['state'],
  dueAt: number | null = null,
): PersonalItem => ({
  conversationId,
  hold,
  state,
  dueAt,
  draft: '',
  updatedAt: 0,
});

describe('an agent’s holds and snoozes (issue 15)', () => {
  it('a timed snooze is snoozed until its time, then due', () => {
    const hold = { kind: 'until', until: 10_000, since: 1_000 } as const;
    expect(holdState(hold, null, 9_999)).toEqual({ state: 'snoozed', dueAt: 10_000 });
    expect(holdState(hold, null, 10_000)).toEqual({ state: 'due', dueAt: 10_000 });
    // a buyer writing does not end a timed snooze early
    expect(holdState(hold, 5_000, 6_000).state).toBe('snoozed');
  });

  it('"until the buyer writes" ends with the first buyer message after it was set, not one before', () => {
    const hold = { kind: 'buyer', since: 1_000 } as const;
    expect(holdState(hold, null, 50_000)).toEqual({ state: 'snoozed', dueAt: null });
    expect(holdState(hold, 1_000, 50_000).state).toBe('snoozed');
    expect(holdState(hold, 1_001, 50_000)).toEqual({ state: 'due', dueAt: 1_001 });
  });

  it('a hold without end stays held whatever the clock or the buyer', () => {
    expect(holdState({ kind: 'held', since: 0 }, 99, 1e12)).toEqual({ state: 'held', dueAt: null });
  });

  it('refuses a snooze in the past or more than a year ahead', () => {
    expect(holdProblem({ kind: 'until', until: 100 }, 100)).toBe('past');
    expect(holdProblem({ kind: 'until', until: 101 }, 100)).toBeNull();
    expect(holdProblem({ kind: 'until', until: 100 + SNOOZE_MAX_MS + 1 }, 100)).toBe('too_far');
    expect(holdProblem({ kind: 'buyer' }, 100)).toBeNull();
  });

  it('presets: 30 minutes, 2 hours, tomorrow 9:00 on the local calendar', () => {
    const now = new Date(2026, 11, 2, 23, 50).getTime();
    expect(snoozeUntil('30m', now) - now).toBe(30 * 60_000);
    expect(snoozeUntil('2h', now) - now).toBe(2 * 3_600_000);
    expect(new Date(snoozeUntil('tomorrow9', now))).toEqual(new Date(2026, 11, 3, 9, 0));
  });

  it('knows the next time a snooze falls due', () => {
    const items = [
      item('a', { kind: 'until', until: 500, since: 0 }, 'snoozed', 500),
      item('b', { kind: 'until', until: 300, since: 0 }, 'snoozed', 300),
      item('c', { kind: 'until', until: 100, since: 0 }, 'due', 100),
      item('d', { kind: 'buyer', since: 0 }, 'snoozed'),
    ];
    expect(nextDue(items, 200)).toBe(300);
    expect(nextDue(items, 600)).toBeNull();
  });

  it('puts due conversations at the top, the latest due first, and leaves snoozed ones out of the list', () => {
    const list = ['w', 'x', 'y', 'z'].map((id) => ({ id }));
    const states = new Map([
      ['x', { state: 'snoozed' as const, dueAt: 900 }],
      ['y', { state: 'due' as const, dueAt: 100 }],
      ['z', { state: 'due' as const, dueAt: 200 }],
      ['w', { state: 'held' as const, dueAt: null }],
    ]);
    expect(withHolds(list, states, false).map((c) => c.id)).toEqual(['z', 'y', 'w']);
    expect(withHolds(list, states, true).map((c) => c.id)).toEqual(['z', 'y', 'w', 'x']);
    expect(withHolds(list, new Map(), false)).toEqual(list);
  });
});
