import { describe, expect, it } from 'vitest';
import { autoReplyFor, type AutoReplyConfig, type ConversationAutoState, type IncomingMessage, type KeywordRule } from './autoReply';

const at = (hhmm: string, day = 10) => Date.parse(`2026-11-${day}T${hhmm}:00+08:00`); // a Tuesday in Shanghai
const MIN = 60_000;

const rule = (id: string, triggers: string[], more: Partial<KeywordRule> = {}): KeywordRule => ({
  id,
  enabled: true,
  priority: 0,
  mode: 'contains',
  triggers,
  reply: `reply ${id}`,
  ...more,
});
const config = (more: Partial<AutoReplyConfig> = {}): AutoReplyConfig => ({
  welcome: { enabled: true, text: '欢迎光临' },
  windowMinutes: 30,
  keywords: [],
  away: { enabled: true, text: '客服暂时不在，{预计回复}回复您', expectedAnswer: '30分钟内', workingHours: null },
  offsetMinutes: 480,
  ...more,
});
const state = (more: Partial<ConversationAutoState> = {}): ConversationAutoState => ({
  config: config(),
  lastMessageAt: null,
  windowStart: null,
  agentState: 'online',
  agentsOnline: 2,
  done: new Set(),
  ...more,
});
const msg = (text: string, time: number, more: Partial<IncomingMessage> = {}): IncomingMessage => ({
  conversationId: 'c1',
  messageId: 'm1',
  sender: 'buyer',
  automated: false,
  text,
  at: time,
  ...more,
});
const kinds = (e: IncomingMessage, s: ConversationAutoState) => autoReplyFor(e, s, e.at).replies.map((r) => r.kind);

describe('auto-replies (autoReplyFor)', () => {
  it('welcomes the first buyer message of a conversation, once', () => {
    const first = autoReplyFor(msg('在吗', at('10:00')), state(), at('10:00'));
    expect(first.replies).toEqual([{ kind: 'welcome', text: '欢迎光临', key: `auto:welcome:c1:${at('10:00')}` }]);
    const next = state({ lastMessageAt: at('10:00'), windowStart: first.windowStart });
    expect(kinds(msg('这款有货吗', at('10:05')), next)).toEqual([]);
  });

  it('welcomes again after 30 quiet minutes, not after 29', () => {
    const s = (last: number) => state({ lastMessageAt: last, windowStart: at('09:00') });
    expect(kinds(msg('你好', at('10:29')), s(at('10:00')))).toEqual([]);
    expect(kinds(msg('你好', at('10:30')), s(at('10:00')))).toEqual(['welcome']);
  });

  it('does not welcome twice when two desks or a restart see the same message', () => {
    const e = msg('在吗', at('10:00'));
    const key = autoReplyFor(e, state(), e.at).replies[0]!.key;
    expect(autoReplyFor(e, state({ done: new Set([key]) }), e.at + 5 * MIN).replies).toEqual([]);
  });

  it('answers with the keyword rule of the highest priority, one per message', () => {
    const keywords = [
      rule('ship', ['发货'], { priority: 1 }),
      rule('fast', ['什么时候发货'], { priority: 5 }),
      rule('off', ['发货'], { priority: 9, enabled: false }),
    ];
    const s = state({ config: config({ keywords, welcome: { enabled: false, text: '' } }) });
    const plan = autoReplyFor(msg('什么时候发货呀', at('10:00')), s, at('10:00'));
    expect(plan.replies.map((r) => r.ruleId)).toEqual(['fast']);
  });

  it('matches as contains, exact or starts with, ignoring case and width, with * for any characters', () => {
    const only = (r: KeywordRule, text: string) =>
      kinds(msg(text, at('10:00')), state({ config: config({ keywords: [r], welcome: { enabled: false, text: '' } }) }));
    expect(only(rule('c', ['尺码']), '请问尺码怎么选')).toEqual(['keyword']);
    expect(only(rule('e', ['包邮吗'], { mode: 'exact' }), ' 包邮吗 ')).toEqual(['keyword']);
    expect(only(rule('e', ['包邮吗'], { mode: 'exact' }), '这个包邮吗')).toEqual([]);
    expect(only(rule('s', ['退货'], { mode: 'starts_with' }), '退货地址是哪')).toEqual(['keyword']);
    expect(only(rule('s', ['退货'], { mode: 'starts_with' }), '我要退货')).toEqual([]);
    expect(only(rule('w', ['sku*有货']), 'ＳＫＵ 123 有货吗')).toEqual(['keyword']);
  });

  it('sends one keyword reply once in a window, again in the next', () => {
    const s = (done: Set<string>, last: number | null, start: number | null) =>
      state({
        config: config({ keywords: [rule('ship', ['发货'])], welcome: { enabled: false, text: '' } }),
        done,
        lastMessageAt: last,
        windowStart: start,
      });
    const first = autoReplyFor(msg('发货了吗', at('10:00')), s(new Set(), null, null), at('10:00'));
    const done = new Set(first.replies.map((r) => r.key));
    expect(kinds(msg('发货了吗？？', at('10:10')), s(done, at('10:00'), first.windowStart))).toEqual([]);
    expect(kinds(msg('发货了吗', at('11:00')), s(done, at('10:10'), first.windowStart))).toEqual(['keyword']);
  });

  it('answers away when no agent is online, the agent is 挂起 or 离线, or outside working hours', () => {
    const e = msg('在吗', at('10:00'));
    expect(autoReplyFor(e, state({ agentsOnline: 0, agentState: null }), e.at).replies[0]).toMatchObject({
      kind: 'away',
      text: '客服暂时不在，30分钟内回复您',
    });
    expect(kinds(e, state({ agentState: 'busy' }))).toEqual(['away']);
    expect(kinds(e, state({ agentState: 'offline' }))).toEqual(['away']);
    const hours = config({ away: { ...config().away, workingHours: { days: [1, 2, 3, 4, 5], span: { start: 9 * 60, end: 18 * 60 } } } });
    expect(kinds(e, state({ config: hours }))).toEqual(['welcome']);
    expect(kinds(msg('在吗', at('18:00')), state({ config: hours }))).toEqual(['away']);
    expect(kinds(msg('在吗', at('10:00', 14)), state({ config: hours }))).toEqual(['away']); // a Saturday
  });

  it('sends away once in a window and with a keyword reply beside it', () => {
    const s = state({ agentsOnline: 0, agentState: null, config: config({ keywords: [rule('size', ['尺码'])] }) });
    const first = autoReplyFor(msg('尺码怎么选', at('23:00')), s, at('23:00'));
    expect(first.replies.map((r) => r.kind)).toEqual(['away', 'keyword']);
    const again = { ...s, done: new Set(first.replies.map((r) => r.key)), lastMessageAt: at('23:00'), windowStart: first.windowStart };
    expect(kinds(msg('人呢', at('23:05')), again)).toEqual([]);
  });

  it("never answers an agent's own message, a system line, or another bot", () => {
    const s = state({ agentsOnline: 0, config: config({ keywords: [rule('any', ['在'])] }) });
    expect(kinds(msg('在的', at('10:00'), { sender: 'agent' }), s)).toEqual([]);
    expect(kinds(msg('在的', at('10:00'), { sender: 'system' }), s)).toEqual([]);
    expect(kinds(msg('在吗', at('10:00'), { automated: true }), s)).toEqual([]);
  });
});
