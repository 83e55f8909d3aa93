/** The marketplace counts a seller memo (备注) in GBK bytes and allows at most this many. */
export const MEMO_MAX_GBK_BYTES = 1000;

/**
 * Length of `text` in bytes once encoded as the marketplace encodes it (GBK, with GB18030's
 * four-byte form for characters outside GBK such as emoji). ASCII is one byte, a Chinese character two.
 * Counted by code point so that a surrogate pair (𠮷, 😀) counts once, as four bytes.
 */
export function gbkByteLength(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) bytes += 1;
    else if (cp > 0xffff) bytes += 4;
    else bytes += 2;
  }
  return bytes;
}

/** How a batch memo meets the memos the orders already have. */
export type MemoMode = 'replace' | 'append';

/**
 * An order's memo after a batch memo: the new text, or (append) the old one with the new after it,
 * joined by "；" unless the old one already ends a sentence. The desk's optimistic copy and the core
 * use this one function, so both land on the same text.
 */
export function memoAfter(current: string, memo: string, mode: MemoMode = 'replace'): string {
  if (mode === 'replace') return memo;
  const old = current.trimEnd();
  if (old === '') return memo;
  if (memo.trim() === '') return current;
  return /[。；;，,.!！?？、]$/.test(old) ? `${old}${memo}` : `${old}；${memo}`;
}
