import { pinyin } from 'pinyin-pro';

/** Characters kept in the pinyin keys: letters and digits; punctuation and spaces would break a run of initials. */
const KEEP = /^[\p{L}\p{N}]+$/u;

type Runs = { initials: string; full: string };

/** Full pinyin and initials of one text's syllables (initials are each syllable's first letter). */
function runsOf(syllables: string[]): Runs {
  const parts = syllables.filter((p) => KEEP.test(p));
  return { initials: parts.map((p) => p[0]).join(''), full: parts.join('') };
}

/** Between title and content in one call: a character of its own in pinyin-pro's output, never part of a word. */
const SEPARATOR = '\u0001';

/**
 * The pinyin of title and content from one pinyin-pro call (a third of the cost of two: most of a
 * call is its own set-up). pinyin-pro gives one item per character and reads polyphones within a run
 * of Chinese, which the separator ends, so each side reads as it would alone (a test compares them).
 */
function pinyinOfBoth(title: string, content: string): [Runs, Runs] {
  const read = (text: string) => pinyin(text, { toneType: 'none', type: 'array', v: true });
  if (title.includes(SEPARATOR)) return [runsOf(read(title)), runsOf(read(content))];
  const all = read(`${title}${SEPARATOR}${content}`);
  const at = all.indexOf(SEPARATOR);
  return [runsOf(all.slice(0, at)), runsOf(all.slice(at + 1))];
}

/**
 * The text a quick phrase is found by, stored with the phrase: its code, title and content, then the
 * pinyin initials and the full pinyin of title and of content, all lower case. So "cm", "尺码", "cmtj" and
 * "chima" all find 尺码推荐. Polyphones take pinyin-pro's reading in context. Computed once when a
 * phrase is written (10,000 phrases in about a quarter of a second), never per keystroke.
 */
export function phraseSearchKeys(phrase: { code: string; title: string; content: string }): string {
  const { title, content } = phrase;
  const [t, c] = pinyinOfBoth(title, content);
  return [phrase.code, title, content, t.initials, c.initials, t.full, c.full]
    .filter((part) => part !== '')
    .join(' ')
    .toLowerCase();
}
