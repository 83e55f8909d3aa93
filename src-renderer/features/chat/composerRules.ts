import { REPLY_COUNTER_FROM, REPLY_MAX_CHARS, replyLength } from '../../../shared/domain/replyRules';

/**
 * Why the reply box did not do what a key or a paste asked, said under it until the text changes.
 * Nothing is ever cut or sent silently: a refused paste leaves the box as it was, a `/…` that
 * picked no phrase stays in the box.
 */
export type ComposerNotice =
  | { kind: 'slashNoMatch'; text: string }
  | { kind: 'slashClosed'; text: string }
  | { kind: 'pasteTooLong'; pasted: number; current: number }
  | { kind: 'tooLong' }
  | { kind: 'phraseTooLong' }
  /** A picture (or a phrase's) not added because as many as a reply takes are waiting already. */
  | { kind: 'picturesFull' }
  /** A product card not added: as many as a reply takes are waiting already. */
  | { kind: 'cardsFull' }
  /** A picture that was not added: not a picture by its bytes, too large, unreadable, or a channel that takes none. */
  | { kind: 'picture'; reason: 'pictureType' | 'pictureSize' | 'pictureSide' | 'pictureRead' | 'pictureChannel' };

/** A draft the phrase picker reads as its query: "/" first, one line. */
export const isSlashDraft = (draft: string): boolean => draft.startsWith('/') && !draft.includes('\n');

/** Where the picker's query is: the whole `/…` draft, or a `/…` typed at the caret after a space, a line break or CJK punctuation. */
export type SlashToken = { start: number; end: number; query: string };

/** Pictures that may wait in the box for one send (each goes as a picture message of its own). */
export const MAX_WAITING_PICTURES = 4;

/**
 * The `/…` the phrase picker reads as its query, if any: a one-line draft starting with `/` (as
 * before), or a `/` typed later at the caret (after a space, a line break or CJK punctuation, so a
 * URL's or a fraction's slash is not one) followed by no space. Picking a phrase replaces just that
 * `/…`, so several phrases stack in one reply.
 */
export function slashAt(draft: string, caret: number): SlashToken | null {
  if (isSlashDraft(draft)) return { start: 0, end: draft.length, query: draft.slice(1) };
  const m = /(?:^|[\s，。！？、：；])\/([^\s/]{0,32})$/u.exec(draft.slice(0, caret));
  if (!m) return null;
  const query = m[1] ?? '';
  return { start: caret - query.length - 1, end: caret, query };
}

/** The counter near the limit: how many characters are left, or null while far from it. */
export function roomLeft(draft: string): number | null {
  const length = replyLength(draft);
  return length >= REPLY_COUNTER_FROM ? Math.max(0, REPLY_MAX_CHARS - length) : null;
}

/** Whether a text fits the reply limit. */
export const fitsReply = (text: string): boolean => replyLength(text) <= REPLY_MAX_CHARS;

/** What a paste of `pasted` over the selection `start..end` of `draft` would make, or a notice why it is refused. */
export function pasteInto(draft: string, start: number, end: number, pasted: string): { next: string } | { notice: ComposerNotice } {
  const next = draft.slice(0, start) + pasted + draft.slice(end);
  if (fitsReply(next)) return { next };
  return { notice: { kind: 'pasteTooLong', pasted: replyLength(pasted), current: replyLength(draft.slice(0, start) + draft.slice(end)) } };
}
