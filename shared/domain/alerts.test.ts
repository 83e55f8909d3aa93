import { describe, expect, it } from 'vitest';
import { arrivals, snapshotOf, titleWith, unreadTotal } from './alerts';
import type { ConversationSummary } from './types';

const conv = (id: string, over: Partial<ConversationSummary> = {}): ConversationSummary => ({
  id,
  customerId: `c-${id}`,
  customerNick: `买家${id}`,
  customerTags: [],
  customerGroupId: null,
  agentId: 'me',
  status: 'open',
  lastMessageAt: 1000,
  lastMessagePreview: `你好 ${id}`,
  unreadCount: 0,
  waitingSince: null,
  ...over,
});

describe('arrivals', () => {
  it('says nothing for the first list the desk sees', () => {
    expect(arrivals(null, [conv('a', { unreadCount: 3 })], 'me')).toEqual([]);
  });

  it('tells a new buyer from a new message', () => {
    const before = snapshotOf([conv('a', { unreadCount: 1 })]);
    const after = [conv('a', { unreadCount: 2, lastMessageAt: 2000, lastMessagePreview: '在吗' }), conv('b', { unreadCount: 1 })];
    expect(arrivals(before, after, 'me')).toEqual([
      { kind: 'newMessage', conversationId: 'a', customerNick: '买家a', preview: '在吗' },
      { kind: 'newBuyer', conversationId: 'b', customerNick: '买家b', preview: '你好 b' },
    ]);
  });

  it('is quiet for a conversation read meanwhile, an unchanged one, and a new one with nothing unread', () => {
    const before = snapshotOf([conv('a', { unreadCount: 2 }), conv('b', { unreadCount: 1 })]);
    const after = [conv('a', { unreadCount: 0, lastMessageAt: 3000 }), conv('b', { unreadCount: 1 }), conv('c')];
    expect(arrivals(before, after, 'me')).toEqual([]);
  });

  it("counts the agent's own and unassigned buyers, never a colleague's", () => {
    const before = snapshotOf([]);
    const after = [
      conv('mine', { unreadCount: 1 }),
      conv('queue', { unreadCount: 1, agentId: null }),
      conv('hers', { unreadCount: 1, agentId: 'other' }),
    ];
    expect(arrivals(before, after, 'me').map((a) => a.conversationId)).toEqual(['mine', 'queue']);
    expect(unreadTotal(after, 'me')).toBe(2);
  });

  it('ignores ended conversations', () => {
    expect(arrivals(snapshotOf([]), [conv('a', { unreadCount: 1, status: 'ended' })], 'me')).toEqual([]);
  });
});

describe('titleWith', () => {
  it('shows the unread count first and caps it', () => {
    expect(titleWith(0, '接待', '小店')).toBe('接待 · 小店');
    expect(titleWith(3, '接待', '小店')).toBe('(3) 接待 · 小店');
    expect(titleWith(1200, '接待', '')).toBe('(999+) 接待');
  });
});
