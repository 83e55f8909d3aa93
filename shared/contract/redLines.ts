import { z } from 'zod';
import { MAX_IMPORT_FILE_BYTES, MAX_IMPORT_FILE_MB } from '../domain/phraseRules';
import { RED_LINE_CATEGORIES, RED_LINE_LIMITS, type RedLineCategory } from '../domain/redLines/defaults';
import { define } from './define';

/**
 * The platform's red lines (平台规则红线, issue 16): the shop's list of words an agent must not write,
 * its exceptions, and how often each word was caught. Everyone reads the list (the composer checks
 * against it); supervisors and the owner change it (policy: `keepRedLines`).
 */

export type RedLineWord = {
  word: string;
  category: RedLineCategory;
  /** Caught in the composer and sent anyway after the agent confirmed. */
  caughtSent: number;
  /** Caught in the composer and not sent (the agent went back to edit). */
  caughtStopped: number;
  lastCaughtAt: number | null;
};

export type RedLineList = { words: RedLineWord[]; exceptions: string[] };

/** What an import did or would do: words are merged into the list (never removed). */
export type RedLineImportReport = {
  fileName: string;
  rows: number;
  added: number;
  existing: number;
  exceptionsAdded: number;
  problems: { row: number; rule: 'too_long' | 'unknown_category' | 'blank' }[];
  outcome: 'dry_run' | 'committed' | 'refused';
  /** A sentence key's code when the file could not be read (see `importReport.file.*`). */
  error: string | null;
};

const word = z
  .string()
  .max(RED_LINE_LIMITS.wordChars * 4)
  .refine(
    (s) => s.trim().length > 0 && Array.from(s.trim()).length <= RED_LINE_LIMITS.wordChars,
    `a word has 1 to ${RED_LINE_LIMITS.wordChars} characters`,
  );

const MAX_IMPORT_BASE64 = Math.ceil(MAX_IMPORT_FILE_BYTES / 3) * 4 + 4;
const importArgs = z
  .object({
    fileName: z.string().min(1).max(255),
    dataBase64: z.string().max(MAX_IMPORT_BASE64 + 1024, `the file is over ${MAX_IMPORT_FILE_MB} MB`),
    encoding: z.string().max(20).optional(),
  })
  .strict();

export const redLineMethods = {
  /** The shop's red-line words with their catch counts, and the exceptions. */
  'redLines.list': define<RedLineList>()(z.object({}).strict()),
  /** Replaces the list (supervisors, the owner). Words kept keep their counts. */
  'redLines.save': define<RedLineList>()(
    z
      .object({
        words: z.array(z.object({ word, category: z.enum(RED_LINE_CATEGORIES) }).strict()).max(RED_LINE_LIMITS.words),
        exceptions: z.array(word).max(RED_LINE_LIMITS.exceptions),
      })
      .strict(),
  ),
  /** Reads a file of words (CSV/TXT/XLSX: word, category) and reports what importing it would add. */
  'redLines.importPreview': define<RedLineImportReport>()(importArgs),
  /** Adds a file's words to the list in one transaction. */
  'redLines.importCommit': define<RedLineImportReport>()(importArgs),
  /** Counts one catch of each word: the agent sent the message anyway, or stopped to edit it. */
  'redLines.recordCatches': define<null>()(
    z.object({ words: z.array(word).min(1).max(50), outcome: z.enum(['sent', 'stopped']) }).strict(),
  ),
} as const;
