/**
 * The shipped red-line list (平台规则红线) for Taobao-style rules. A new shop starts with it (migration
 * 0007 copies it); supervisors edit it from there.
 *
 * Decisions (docs/architecture.md, "Red lines"):
 * - 最好看 is NOT an exception: "the best-looking" is the same absolute claim under the advertising
 *   law as 最好. What is excepted are the everyday phrases where 最好 / 第一 make no claim about the
 *   goods: advice ("您最好先量一下": you had better measure first) and time ("第一时间发货": at once).
 * - A word is a phrase, not a character: 最 alone would catch 最近 / 最后, so claims are listed as
 *   the claims agents actually type.
 */
export const RED_LINE_CATEGORIES = ['contact', 'claim', 'refund', 'custom'] as const;
export type RedLineCategory = (typeof RED_LINE_CATEGORIES)[number];

export type RedLineEntry = { word: string; category: RedLineCategory };

const contact = [
  '加微信',
  '微信',
  '微信号',
  'vx',
  'wx',
  'v信',
  '薇信',
  '威信',
  '加v',
  'wechat',
  'QQ',
  'QQ号',
  '扣扣',
  '企鹅号',
  '支付宝转账',
  '转账给我',
  '银行卡',
  '线下交易',
  '私下交易',
  '私下付款',
  '加我好友',
  '手机号联系',
];
const claim = [
  '最好',
  '最佳',
  '最低价',
  '最便宜',
  '最高级',
  '最优',
  '第一',
  '全网第一',
  '销量第一',
  '国家级',
  '世界级',
  '顶级',
  '极品',
  '独一无二',
  '绝对',
  '百分百',
  '万能',
  '首选',
  '唯一',
  '史无前例',
];
const refund = ['私下退款', '线下退款', '微信退款', '支付宝退款', '转账退款', '不走平台', '不用走平台', '好评返现', '返现', '直接转你'];

export const DEFAULT_RED_LINES: readonly RedLineEntry[] = [
  ...contact.map((word) => ({ word, category: 'contact' as const })),
  ...claim.map((word) => ({ word, category: 'claim' as const })),
  ...refund.map((word) => ({ word, category: 'refund' as const })),
];

// 第一 as an ordinal (the first step, line, item, batch) or as "at once" claims nothing.
export const DEFAULT_RED_LINE_EXCEPTIONS: readonly string[] = [
  '第一时间',
  '第一次',
  '第一件',
  '第一天',
  '第一批',
  '第一步',
  '第一行',
  '第一个',
  '第一条',
  '第一页',
  '第一份',
  '第一眼',
  '您最好',
  '最好先',
  '最好是在',
  '绝对值',
];

/** Bounds that every side shares (the contract, the store, the editor). */
export const RED_LINE_LIMITS = { words: 2000, exceptions: 2000, wordChars: 30 } as const;

/**
 * One entry of the shop's list as the change feed and the replica carry it (entity `red_line`): a word
 * (`w:` + its folded key) or an exception (`x:` + its key). Catch counts stay in the core: they change
 * on every catch and only the supervisor's list screen shows them (it asks `redLines.list`).
 */
export type RedLineRow = { id: string; kind: 'word' | 'exception'; text: string; category: RedLineCategory | null; sort: number };
