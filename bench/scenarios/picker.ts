import type { PickerPhrase } from '../../shared/domain/types';
import { TEAM_PHRASES } from '../../src-main/services/demo/data/phrases';
import { phraseSearchKeys } from '../../src-main/services/phrases/searchKeys';
import { indexPhrases, matchPhrases } from '../../src-renderer/features/phrases/picker/matchPhrases';
import { percentile, sample, type Scenario } from '../harness';

/** What agents type into the picker, one keystroke at a time. */
const TYPED = [
  'f',
  'fh',
  'fah',
  'fahuo',
  '发',
  '发货',
  't',
  'tk',
  'tui',
  '退款',
  'k',
  'kd',
  'kuaidi',
  'c',
  'cm',
  '尺码',
  'y',
  'yh',
  'yhq',
  '优惠',
  'wl',
  '物流',
  'by',
  '包邮',
];

/** 10,000 phrases made from the demo shop's, each with search keys computed once, as at write time. */
export function tenThousandPhrases(): { phrases: PickerPhrase[]; keysMs: number } {
  const start = performance.now();
  const PHRASES = Object.values(TEAM_PHRASES).flat();
  const phrases: PickerPhrase[] = [];
  for (let i = 0; i < 10_000; i++) {
    const base = PHRASES[i % PHRASES.length]!;
    const code = `${base.code}${i}`;
    const title = `${base.title}${i % 7 === 0 ? '（新）' : ''}`;
    const content = `${base.content}${i}`;
    phrases.push({
      id: `p${i}`,
      scope: i % 10 === 0 ? 'personal' : 'team',
      groupId: `g${i % 40}`,
      code,
      title,
      content,
      searchKeys: phraseSearchKeys({ code, title, content }),
      useCount: i % 13,
      lastUsedAt: null,
      sort: i,
    });
  }
  return { phrases, keysMs: performance.now() - start };
}

/** The phrase picker's matching per keystroke over 10k phrases. */
export const pickerScenario: Scenario = {
  name: 'picker-match-10k',
  what: 'phrase matching per keystroke over 10,000 phrases: code, words, pinyin initials, full pinyin, ranked (p95)',
  unit: 'ms',
  better: 'lower',
  target: 2,
  async run({ quick }) {
    const { phrases, keysMs } = tenThousandPhrases();
    const index = indexPhrases(phrases);
    let k = 0;
    const runs = quick ? 240 : 1200;
    const ours = await sample(() => matchPhrases(index, TYPED[k++ % TYPED.length]!), runs);
    // Baseline: a bare substring scan of the precomputed keys, no tiers, no ranking.
    const keys = phrases.map((p) => p.searchKeys);
    let j = 0;
    const bare = await sample(() => {
      const q = TYPED[j++ % TYPED.length]!;
      return keys.filter((key) => key.includes(q)).length;
    }, runs);
    return {
      value: percentile(ours, 95),
      baseline: { label: 'bare substring scan', value: percentile(bare, 95) },
      details: { medianMs: percentile(ours, 50), runs, keysPrecomputeMsFor10k: Math.round(keysMs) },
    };
  },
};
