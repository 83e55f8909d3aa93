import { autoReplyFor, type AutoReplyConfig, type KeywordRule } from '../../shared/domain/automation/autoReply';
import { DEFAULT_REMINDER_CONFIG, remindersDue, type UnpaidOrder } from '../../shared/domain/automation/reminders';
import { percentile, sample, type Scenario } from '../harness';

const MIN = 60_000;
// 2024-11-11 14:00 in Shanghai: outside quiet hours.
const NOW = Date.UTC(2024, 10, 11, 6, 0, 0);
const WORDS = ['发货', '快递', '尺码', '退款', '优惠', '包邮', '颜色', '库存', '价格', '质量', '物流', '换货', '赠品', '发票', '预售'];

/**
 * 100k open orders placed over the last 72 hours by 40k buyers, in the runner's steady state: every
 * reminder whose time passed more than two minutes ago was claimed by an earlier round.
 */
function openOrders(): { orders: UnpaidOrder[]; done: Set<string> } {
  const orders: UnpaidOrder[] = [];
  const done = new Set<string>(); // the runner passes none: the orders say what they were reminded of
  for (let i = 0; i < 100_000; i++) {
    const orderId = `o${i}`;
    const age = ((i * 7919) % (72 * 60)) * MIN;
    // As the runner passes them: what each order was reminded of rides on it (the store's bits).
    orders.push({
      orderId,
      buyerId: `b${i % 40_000}`,
      createdAt: NOW - age,
      status: 'unpaid',
      reminded: { after_order: age > 12 * MIN, pre_close: age > (71 * 60 + 2) * MIN },
    });
  }
  return { orders, done };
}

/** 1,000 keyword rules over the shop's words, mixed modes and priorities, a few disabled. */
function rules(): KeywordRule[] {
  return Array.from({ length: 1000 }, (_, i) => ({
    id: `r${i}`,
    enabled: i % 17 !== 0,
    priority: i % 10,
    mode: (['contains', 'exact', 'starts_with'] as const)[i % 3]!,
    triggers: [`${WORDS[i % WORDS.length]}${i}`, `${WORDS[(i + 3) % WORDS.length]}*${i % 100}`],
    reply: `规则 ${i} 的回复`,
  }));
}

/**
 * The automation engines per evaluation round: one 催付 round over 100k open orders and one buyer
 * message against 1,000 keyword rules, the pure functions the runner calls (no store).
 */
export const automationScenario: Scenario = {
  name: 'automation-round',
  what: 'one 催付 round over 100k open orders + one buyer message against 1,000 keyword rules (p95)',
  unit: 'ms',
  better: 'lower',
  target: 50,
  async run({ quick }) {
    const { orders, done } = openOrders();
    const config = { ...DEFAULT_REMINDER_CONFIG, quietHours: null };
    const reply: AutoReplyConfig = {
      welcome: { enabled: true, text: '您好' },
      windowMinutes: 30,
      keywords: rules(),
      away: { enabled: false, text: '', expectedAnswer: '', workingHours: null },
      offsetMinutes: 480,
    };
    const state = {
      config: reply,
      lastMessageAt: NOW - MIN,
      windowStart: NOW - 5 * MIN,
      agentState: 'online' as const,
      agentsOnline: 3,
      done: new Set<string>(),
    };
    const runs = quick ? 10 : 40;
    let sent = 0;
    const ours = await sample(() => {
      sent = remindersDue({ config, orders, done }, NOW).send.length;
      autoReplyFor(
        { conversationId: 'c', messageId: 'm', sender: 'buyer', automated: false, text: '请问什么时候发货5呀', at: NOW },
        state,
        NOW,
      );
    }, runs);
    // Baseline: one bare pass over the orders picking the unpaid ones past ten minutes.
    const bare = await sample(() => orders.filter((o) => o.status === 'unpaid' && NOW - o.createdAt >= 10 * MIN).length, runs);
    return {
      value: percentile(ours, 95),
      baseline: { label: 'bare filter over the orders', value: percentile(bare, 95) },
      details: { medianMs: percentile(ours, 50), runs, remindersPerRound: sent },
    };
  },
};
