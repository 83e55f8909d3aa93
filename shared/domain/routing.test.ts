import { describe, expect, it } from 'vitest';
import { chooseAgent, routable, shownState, teamOverview, transferLine, UNANSWERED_ALERT_MS, type RoutingCandidate } from './routing';
import type { TeamAgent } from './types';

const agent = (id: string, over: Partial<RoutingCandidate> = {}): RoutingCandidate => ({
  id,
  state: 'online',
  present: true,
  disabled: false,
  maxOpen: 3,
  open: 0,
  ...over,
});

/** Routes `n` buyers one after another, each new conversation counting against its agent. */
function routeMany(roster: RoutingCandidate[], n: number, last: string | null = null): (string | null)[] {
  const load = new Map(roster.map((a) => [a.id, a.open]));
  const out: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    const chosen = chooseAgent(
      roster.map((a) => ({ ...a, open: load.get(a.id)! })),
      last,
    );
    out.push(chosen);
    if (chosen !== null) {
      load.set(chosen, load.get(chosen)! + 1);
      last = chosen;
    }
  }
  return out;
}

describe('round robin routing', () => {
  it('gives new buyers to the agents in turn, starting after the one chosen last', () => {
    const roster = [agent('a'), agent('b'), agent('c')];
    expect(routeMany(roster, 4)).toEqual(['a', 'b', 'c', 'a']);
    expect(routeMany(roster, 2, 'b')).toEqual(['c', 'a']);
  });

  it('skips an agent at their maximum of open conversations, and queues the buyer when everyone is full', () => {
    const roster = [agent('a', { maxOpen: 1 }), agent('b', { maxOpen: 2 })];
    expect(routeMany(roster, 4)).toEqual(['a', 'b', 'b', null]);
    expect(chooseAgent([agent('a', { open: 3, maxOpen: 3 })], null)).toBeNull();
  });

  it('never gives a buyer to someone 挂起, 离线, at no connected desk, or disabled', () => {
    const roster = [
      agent('busy', { state: 'busy' }),
      agent('off', { state: 'offline' }),
      agent('away', { present: false }),
      agent('gone', { disabled: true }),
      agent('here'),
    ];
    expect(routeMany(roster, 3)).toEqual(['here', 'here', 'here']);
    expect(chooseAgent(roster.slice(0, 4), null)).toBeNull();
    expect(roster.map(routable)).toEqual([false, false, false, false, true]);
  });

  it('starts from the top when the last one chosen has left the roster, and queues with nobody at all', () => {
    expect(chooseAgent([agent('x'), agent('y')], 'left-the-shop')).toBe('x');
    expect(chooseAgent([], null)).toBeNull();
  });
});

describe('what the team sees', () => {
  it('shows an agent at no connected desk as 离线 whatever they chose', () => {
    expect(shownState({ state: 'online', present: false })).toBe('offline');
    expect(shownState({ state: 'busy', present: true })).toBe('busy');
    expect(shownState({ state: 'online', present: true, disabled: true })).toBe('offline');
  });

  it('counts each agent’s open conversations and longest wait, the queue, and every buyer unanswered for 3 minutes or more', () => {
    const now = 10_000_000;
    const roster: TeamAgent[] = [
      { id: 'a', nick: '小美', role: 'agent', state: 'online', present: true, maxOpen: 8, disabled: false },
      { id: 'b', nick: '阿杰', role: 'agent', state: 'busy', present: false, maxOpen: 8, disabled: false },
      { id: 'z', nick: '离职', role: 'agent', state: 'offline', present: false, maxOpen: 8, disabled: true },
    ];
    const conversations = [
      { id: 'c1', agentId: 'a', waitingSince: now - 60_000 },
      { id: 'c2', agentId: 'a', waitingSince: now - UNANSWERED_ALERT_MS },
      { id: 'c3', agentId: 'a', waitingSince: null },
      { id: 'c4', agentId: null, waitingSince: now - 10 * 60_000 },
      { id: 'c5', agentId: null, waitingSince: now - 1_000 },
      { id: 'c6', agentId: 'b', waitingSince: now - UNANSWERED_ALERT_MS + 1 },
    ];
    const view = teamOverview(roster, conversations, now);
    expect(view.agents.map((l) => [l.agent.id, l.state, l.open, l.waitingSince])).toEqual([
      ['a', 'online', 3, now - UNANSWERED_ALERT_MS],
      ['b', 'offline', 1, now - UNANSWERED_ALERT_MS + 1],
    ]);
    expect(view.queue.map((c) => c.id)).toEqual(['c4', 'c5']);
    expect(view.unanswered.map((c) => c.id)).toEqual(['c4', 'c2']);
  });
});

describe('the line a transfer leaves in the history', () => {
  it('names who handed it to whom, from whose hands when a supervisor reassigns, and the note', () => {
    expect(transferLine({ by: '小美', from: '小美', to: '阿杰', note: '' })).toBe('会话已由小美转接给阿杰');
    expect(transferLine({ by: '小美', from: '小美', to: null, note: '  要退货 ' })).toBe('会话已由小美转回队列。备注：要退货');
    expect(transferLine({ by: '王姐', from: '小美', to: '阿杰', note: '大客户' })).toBe('王姐将小美的会话转接给阿杰。备注：大客户');
    expect(transferLine({ by: '王姐', from: null, to: '阿杰', note: '' })).toBe('会话已由王姐转接给阿杰');
    expect(transferLine({ by: '王姐', from: '小美', to: null, note: '' }, 'en')).toBe('王姐 put 小美’s conversation back in the queue');
  });
});
