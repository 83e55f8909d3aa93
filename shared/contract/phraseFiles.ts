import { z } from 'zod';
import { MAX_IMPORT_FILE_BYTES, MAX_IMPORT_FILE_MB } from '../domain/phraseRules';
import { define } from './define';

/** The largest import file is at most this much base64. */
const MAX_IMPORT_BASE64 = Math.ceil(MAX_IMPORT_FILE_BYTES / 3) * 4 + 4;

const importArgs = z
  .object({
    fileName: z.string().min(1).max(255),
    dataBase64: z.string().max(MAX_IMPORT_BASE64 + 1024, `the file is over ${MAX_IMPORT_FILE_MB} MB`),
    encoding: z.string().max(20).optional(),
    sheet: z.string().max(100).optional(),
    scope: z.enum(['team', 'personal']).default('team'),
    mode: z.enum(['merge', 'replace']).default('merge'),
    skipInvalid: z.boolean().default(false),
    lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
  })
  .strict();

/** What an import did or would do (see src-main/services/phrases/files). */
export type ImportReport = {
  fileName: string;
  format: 'xlsx' | 'csv' | 'tsv' | 'txt' | 'json' | null;
  encoding: string | null;
  delimiter: string | null;
  sheet: string | null;
  unit: 'row' | 'item';
  rows: number;
  counts: { new: number; updated: number; unchanged: number; invalid: number; deleted: number };
  problems: { row: number; column: 'group' | 'code' | 'title' | 'content' | 'scope'; columnName: string; rule: string; message: string }[];
  unknownColumns: string[];
  mode: 'merge' | 'replace';
  skipInvalid: boolean;
  outcome: 'dry_run' | 'committed' | 'stopped' | 'refused';
  error: string | null;
};

/** The phrase library to and from files: bulk import and the phrase export. */
export const phraseFileMethods = {
  /** Reads a supervisor's file and reports what an import would do, writing nothing (the dry run). */
  'phrases.importPreview': define<ImportReport>()(importArgs),
  /** Imports a file in one transaction (or not at all), reporting what it did. */
  'phrases.importCommit': define<ImportReport>()(importArgs),
  /** The library as a file in the import's own columns: .xlsx, .csv (UTF-8 with BOM) or .json. */
  'phrases.export': define<{ fileName: string; dataBase64: string }>()(z.object({ format: z.enum(['xlsx', 'csv', 'json']) }).strict()),
} as const;
