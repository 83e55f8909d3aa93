import type { Db } from './connection';

/**
 * The one- and two-character search index (migration 0006). FTS5's trigram tokenizer cannot answer
 * terms shorter than three characters, and `unicode61` reads a run of Chinese as one token, so the
 * text is indexed with a space between every character: each character becomes a token and a
 * two-character term is a phrase of two adjacent tokens. The table is contentless (the text lives
 * in `messages` once); SQLite calls `jiedai_unigram` while it indexes a batch in one statement.
 */
export const UNIGRAM_FUNCTION = 'jiedai_unigram';

/** Every character (code point) of the text, one space apart. */
export function unigramText(text: string): string {
  return Array.from(text).join(' ');
}

/** Registers the spacing function on a connection that writes messages (idempotent). */
export function registerUnigram(db: Db): void {
  db.function(UNIGRAM_FUNCTION, { deterministic: true, varargs: false }, (text: unknown) =>
    typeof text === 'string' ? unigramText(text) : '',
  );
}

/**
 * The FTS5 phrase for a one- or two-character term, or null when none of its characters is a
 * token (punctuation, emoji): unicode61 keeps letters, digits and private-use characters.
 */
export function unigramPhrase(term: string): string | null {
  const tokens = Array.from(term).filter((c) => /[\p{L}\p{N}\p{Co}]/u.test(c));
  if (tokens.length === 0) return null;
  return `"${tokens.join(' ').replace(/"/g, '""')}"`;
}
