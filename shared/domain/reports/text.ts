/**
 * Words and questions in buyers' messages, for the hot questions (热门问题) and hot words. Words come
 * from `Intl.Segmenter('zh', {granularity: 'word'})` with a small shop lexicon matched first (the
 * segmenter's dictionary splits 发货, 包邮, 尺码 and 顺丰 into single characters), stop words and single
 * Chinese characters removed. A question is a buyer's message that asks (a question mark, 吗, 呢,
 * 什么, 怎么, 多少, 能不能 …); its key is the text without punctuation, greetings and trailing
 * particles, digits as #, so 「亲，什么时候发货呀？」 and 「什么时候发货」 are one question.
 */

/** Words of a shop's desk the segmenter does not know as words. Longest first is not needed: matching picks the longest. */
export const SHOP_LEXICON: readonly string[] = (
  '发货 包邮 尺码 顺丰 快递 物流 退款 退货 换货 退换 到账 运费 运费险 发票 开发票 优惠 优惠券 满减 便宜 活动价 赠品 小礼物 发圈 补货 现货 预售 库存 缺货 加急 改地址 地址 ' +
  '签收 单号 订单 订单号 付款 待付款 拍下 色差 起球 缩水 掉色 面料 机洗 手洗 偏大 偏小 修身 宽松 显黑 显瘦 正品 质量 做工 颜色 码数 大码 小码 连衣裙 半身裙 衬衫 卫衣 外套 ' +
  '毛衣 针织衫 牛仔裤 阔腿裤 七天无理由 无理由 好评 差评 客服 售后 质量问题 破损 少发 漏发 发错 改价 备注 拼单 尺寸 身高 体重 腰围 胸围 肩宽 衣长 裤长 中通 圆通 韵达 申通 ' +
  '京东 邮政 极兔 菜鸟 驿站'
).split(' ');

/** Words that carry no topic: pronouns, particles, courtesy, and the words every question has. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    '的 了 吗 呢 啊 呀 吧 哦 哈 嗯 啦 么 嘛 哇 喔 噢 诶 欸 我 你 您 他 她 它 我们 你们 他们 咱们 自己 亲 亲亲 宝 宝贝 亲爱的 老板 掌柜 这 那 这个 那个 这款 那款 ' +
    '这件 那件 这些 那些 这样 那样 这里 那里 哪个 哪里 是 有 在 就 都 也 和 跟 与 还 又 再 要 会 能 想 可 可以 能够 应该 请问 请 麻烦 一下 一个 一点 有点 没有 不是 不 ' +
    '没 很 太 挺 比较 非常 特别 什么 怎么 怎么样 怎样 多少 多久 几天 为什么 如何 能不能 可不可以 有没有 是不是 会不会 要不要 什么时候 时候 现在 今天 明天 已经 还是 或者 然后 ' +
    '因为 所以 但是 如果 就是 好的 好 谢谢 谢谢亲 收到 知道 了解 明白 可以的 行 嗯嗯 哈哈 哈哈哈 你好 您好 在吗 在不在 客服在吗 人呢 还在吗 拍 买 看 给 让 把 被 对 到 从 ' +
    '为 着 过 之前 之后 以后 一件 一码 两天 三天 几件 ok okay the and'
  ).split(' '),
);

/** Replies that need no answer: a buyer's 好的 after the agent's answer is not waiting for one. */
const ACKNOWLEDGEMENTS: ReadonlySet<string> = new Set(
  (
    '好 好的 好滴 好哒 好嘞 好吧 好哦 好呀 好啊 行 行的 可以 可以的 嗯 嗯嗯 哦 哦哦 噢 ok okk okay 收到 收到啦 收到了 知道了 明白 明白了 了解 谢谢 谢谢亲 谢谢你 ' +
    '谢谢啦 感谢 多谢 辛苦了 麻烦了 好的谢谢 好的谢谢亲 好的亲 拜拜 再见 哈哈 哈哈哈 好评已给'
  ).split(' '),
);

const QUESTION_MARKERS = /[?？]|吗|呢|什么|怎么|多少|多久|几天|几号|哪|能不能|可不可以|有没有|是不是|会不会|要不要|为什么|如何|咋/u;
/** Punctuation, symbols, emoji and spaces (kept out of keys). */
const NOISE = /(?:[\p{P}\p{S}\p{Z}\p{C}]|\ufe0f)+/gu;
const LEADING = /^(?:亲亲|亲爱的|亲|你好|您好|请问|在吗|在不在|客服|老板|掌柜|哈喽|hello|hi|嗨|麻烦问下|问下|问一下)+/u;
const TRAILING = /(?:呀|啊|哦|啦|哈|呐|嘛|噢|喔|亲|谢谢)+$/u;
const HAN = /\p{Script=Han}/u;
const MAX_KEY_CHARS = 40;

const fold = (s: string) => s.normalize('NFKC').toLowerCase();

/** The message without punctuation, emoji or spaces, NFKC-folded, lower case. */
function bare(text: string): string {
  return fold(text).replace(NOISE, '');
}

/** True for a reply that needs no answer (好的, 谢谢, 👌) or a message of emoji and punctuation only. */
export function isAcknowledgement(text: string): boolean {
  if (/[?？]/.test(text)) return false; // ？？ is a nudge, not a thank-you
  const b = bare(text);
  return b.length === 0 || ACKNOWLEDGEMENTS.has(b);
}

/** True when a buyer's message asks something (and is not only a greeting such as 在吗). */
export function isQuestion(text: string): boolean {
  return QUESTION_MARKERS.test(text) && questionKey(text) !== null;
}

/**
 * What a question is, for counting: without punctuation, greetings before and particles after,
 * digits (sizes, order numbers) as #; null when nothing is left (在吗？, 亲？？).
 */
export function questionKey(text: string): string | null {
  let k = bare(text).replace(LEADING, '').replace(TRAILING, '').replace(/\d+/g, '#');
  if (k.length > MAX_KEY_CHARS) k = k.slice(0, MAX_KEY_CHARS);
  if (k.length < 2 || k === '#' || ACKNOWLEDGEMENTS.has(k) || STOP_WORDS.has(k)) return null;
  return k;
}

const lexicon = new Set(SHOP_LEXICON);
const LONGEST = Math.max(...SHOP_LEXICON.map((w) => w.length));
let segmenter: Intl.Segmenter | null = null;

function segment(text: string, out: string[]): void {
  segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
  for (const s of segmenter.segment(text)) if (s.isWordLike) out.push(s.segment);
}

/** The words of a text in order: shop words by longest match, the rest by the segmenter. */
function rawWords(text: string): string[] {
  const out: string[] = [];
  let gapStart = 0;
  let i = 0;
  while (i < text.length) {
    let match = 0;
    for (let n = Math.min(LONGEST, text.length - i); n >= 2; n--) {
      if (lexicon.has(text.slice(i, i + n))) {
        match = n;
        break;
      }
    }
    if (match === 0) {
      i++;
      continue;
    }
    if (i > gapStart) segment(text.slice(gapStart, i), out);
    out.push(text.slice(i, i + match));
    i += match;
    gapStart = i;
  }
  if (gapStart < text.length) segment(text.slice(gapStart), out);
  return out;
}

/** Whether a word says something: not a stop word, not a lone character, nothing with a digit. */
function meaningful(w: string): boolean {
  if (STOP_WORDS.has(w)) return false;
  if (/\d/.test(w)) return false; // numbers, sizes and weights (165cm, 52kg), order numbers
  if (w.length < 2) return false;
  if (w.length === 2 && HAN.test(w[0]!) && STOP_WORDS.has(w[0]!) && STOP_WORDS.has(w[1]!)) return false;
  return true;
}

/** The distinct meaningful words of a text, in order of first appearance. */
export function wordsOf(text: string): string[] {
  const seen = new Set<string>();
  for (const w of rawWords(fold(text))) if (meaningful(w)) seen.add(w);
  return [...seen];
}

export type QuestionCount = { key: string; count: number; sample: string };

export type QuestionGroup = {
  /** The most asked wording of the group, as a buyer wrote it. */
  text: string;
  count: number;
  /** The keys grouped here, most asked first. */
  keys: string[];
  /** The group's words (of its most asked key). */
  words: string[];
  /** What to search for to open the conversations that ask it: its longest word, or the key. */
  term: string;
};

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let common = 0;
  for (const w of a) if (b.has(w)) common++;
  return common / (a.size + b.size - common);
}

/**
 * Similar questions together: each key joins the first group (most asked first) whose words overlap
 * its own by at least `similarity` (Jaccard), so 什么时候发货 / 几天发货 / 发货要多久 are one group
 * (their words are {发货}). Keys without words group only when equal.
 */
export function groupQuestions(counts: readonly QuestionCount[], limit: number, similarity = 0.5): QuestionGroup[] {
  const sorted = [...counts].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const groups: (QuestionGroup & { set: Set<string> })[] = [];
  for (const q of sorted) {
    const words = wordsOf(q.key);
    const set = new Set(words);
    const home =
      set.size === 0 ? groups.find((g) => g.keys[0] === q.key) : groups.find((g) => g.set.size > 0 && jaccard(g.set, set) >= similarity);
    if (home) {
      home.count += q.count;
      home.keys.push(q.key);
      continue;
    }
    const term =
      words.filter((w) => q.sample.toLowerCase().includes(w)).sort((a, b) => b.length - a.length)[0] ?? q.sample.trim().slice(0, 20);
    groups.push({ text: q.sample, count: q.count, keys: [q.key], words, term, set });
  }
  return groups
    .sort((a, b) => b.count - a.count)
    .slice(0, limit)
    .map(({ set: _set, ...g }) => g);
}
