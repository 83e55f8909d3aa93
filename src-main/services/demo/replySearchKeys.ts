import { pinyin } from 'pinyin-pro';

/** Characters kept in the pinyin keys: letters and digits; punctuation and spaces would break a run of initials. */
const KEEP = /^[\p{L}\p{N}]+$/u;

function pinyinRun(text: string, pattern: 'first' | 'pinyin'): string {
  const parts = pinyin(text, { pattern, toneType: 'none', type: 'array', v: true });
  return parts.filter((p) => KEEP.test(p)).join('');
}

/**
 * The text a quick phrase is found by, stored with the phrase: its code, title and content, then the
 * pinyin initials and the full pinyin of title and of content, all lower case. So "cm", "尺码", "cmtj" and
 * "chima" all find 尺码推荐. Polyphones take pinyin-pro's reading in context.
 */
export function replySearchKeys(reply: { code: string; title: string; content: string }): string {
  const { title, content } = reply;
  const initials = [pinyinRun(title, 'first'), pinyinRun(content, 'first')];
  const full = [pinyinRun(title, 'pinyin'), pinyinRun(content, 'pinyin')];
  return [reply.code, title, content, ...initials, ...full]
    .filter((part) => part !== '')
    .join(' ')
    .toLowerCase();
}
