import { pinyin } from 'pinyin-pro';

/** Characters kept in the pinyin keys: letters and digits; punctuation and spaces would break a run of initials. */
const KEEP = /^[\p{L}\p{N}]+$/u;

/** Full pinyin and initials of a text from one pinyin-pro call (initials are each syllable's first letter). */
function pinyinRuns(text: string): { initials: string; full: string } {
  const parts = pinyin(text, { toneType: 'none', type: 'array', v: true }).filter((p) => KEEP.test(p));
  return { initials: parts.map((p) => p[0]).join(''), full: parts.join('') };
}

/**
 * The text a quick phrase is found by, stored with the phrase: its code, title and content, then the
 * pinyin initials and the full pinyin of title and of content, all lower case. So "cm", "尺码", "cmtj" and
 * "chima" all find 尺码推荐. Polyphones take pinyin-pro's reading in context. Computed once when a
 * phrase is written (10,000 phrases in about a quarter of a second), never per keystroke.
 */
export function phraseSearchKeys(phrase: { code: string; title: string; content: string }): string {
  const { title, content } = phrase;
  const t = pinyinRuns(title);
  const c = pinyinRuns(content);
  return [phrase.code, title, content, t.initials, c.initials, t.full, c.full]
    .filter((part) => part !== '')
    .join(' ')
    .toLowerCase();
}
