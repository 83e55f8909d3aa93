import { AppError } from '../../../shared/contract/errors';
import type { RedLineImportReport, RedLineList } from '../../../shared/contract/redLines';
import { requireRole, type Caller } from '../../../shared/domain/policy';
import { RED_LINE_LIMITS, type RedLineCategory } from '../../../shared/domain/redLines/defaults';
import { compileRedLines, type RedLineMatcher } from '../../../shared/domain/redLines/matcher';
import { wordKey } from '../../../shared/domain/redLines/normalize';
import type { Store } from '../../store';
import type { Clock } from '../conversations';
import { ImportError } from '../phrases/files/errors';
import { readWords } from './readWords';

/**
 * The shop's red lines (平台规则红线): the list every composer checks against, kept by the roles the
 * policy names; catches counted per word; the matcher the core itself checks phrases with.
 */
export function redLineService(store: Store, now: Clock) {
  // Compiled once per version of the list; the feed's head moves with every change of it (this
  // process's or the CLI's), so a stale matcher is never used.
  let compiled: { head: number; matcher: RedLineMatcher } | null = null;

  function list(): RedLineList {
    return {
      words: store.redLines.words().map((w) => ({
        word: w.word,
        category: w.category,
        caughtSent: w.caught_sent,
        caughtStopped: w.caught_stopped,
        lastCaughtAt: w.last_caught_at,
      })),
      exceptions: store.redLines.exceptions(),
    };
  }

  /** Distinct by folded key, first spelling wins; blank words dropped. */
  function keyed<T extends { word: string }>(items: readonly T[]): (T & { key: string })[] {
    const seen = new Set<string>();
    const out: (T & { key: string })[] = [];
    for (const item of items) {
      const word = item.word.trim();
      const key = wordKey(word);
      if (!key || seen.has(key)) continue;
      seen.add(key);
      out.push({ ...item, word, key });
    }
    return out;
  }

  async function importFile(
    args: { fileName: string; dataBase64: string; encoding?: string | undefined },
    caller: Caller,
    commit: boolean,
  ): Promise<RedLineImportReport> {
    requireRole(caller, 'keepRedLines');
    const report: RedLineImportReport = {
      fileName: args.fileName,
      rows: 0,
      added: 0,
      existing: 0,
      exceptionsAdded: 0,
      problems: [],
      outcome: 'refused',
      error: null,
    };
    let read: Awaited<ReturnType<typeof readWords>>;
    try {
      read = await readWords(args.fileName, Buffer.from(args.dataBase64, 'base64'), args.encoding);
    } catch (error) {
      if (error instanceof ImportError) return { ...report, error: error.code };
      throw error;
    }
    report.rows = read.rows.length + read.unknown.length;
    for (const row of read.unknown) report.problems.push({ row, rule: 'unknown_category' });
    const good = read.rows.filter((r) => {
      const chars = Array.from(r.word).length;
      if (chars === 0 || !wordKey(r.word)) report.problems.push({ row: r.row, rule: 'blank' });
      else if (chars > RED_LINE_LIMITS.wordChars) report.problems.push({ row: r.row, rule: 'too_long' });
      else return true;
      return false;
    });
    const words = keyed(
      good.filter((r) => r.category !== 'exception').map((r) => ({ word: r.word, category: (r.category ?? 'custom') as RedLineCategory })),
    );
    const exceptions = keyed(good.filter((r) => r.category === 'exception')).map((e) => ({ key: e.key, phrase: e.word }));
    const stored = new Set(store.redLines.words().map((w) => w.key));
    const storedExceptions = store.redLines.exceptionKeys();
    const fresh = words.filter((w) => !stored.has(w.key));
    const freshExceptions = exceptions.filter((e) => !storedExceptions.has(e.key));
    if (stored.size + fresh.length > RED_LINE_LIMITS.words || storedExceptions.size + freshExceptions.length > RED_LINE_LIMITS.exceptions) {
      return { ...report, error: 'too_many_rows' };
    }
    report.added = fresh.length;
    report.existing = words.length - fresh.length;
    report.exceptionsAdded = freshExceptions.length;
    if (!commit) return { ...report, outcome: 'dry_run' };
    const at = now();
    store.tx(() => {
      store.redLines.add(fresh, at);
      store.redLines.addExceptions(freshExceptions, at);
    });
    return { ...report, outcome: 'committed' };
  }

  return {
    list,
    save(args: { words: { word: string; category: RedLineCategory }[]; exceptions: string[] }, caller: Caller): RedLineList {
      requireRole(caller, 'keepRedLines');
      const words = keyed(args.words);
      const exceptions = keyed(args.exceptions.map((word) => ({ word }))).map((e) => ({ key: e.key, phrase: e.word }));
      store.tx(() => store.redLines.replace(words, exceptions, now()));
      return list();
    },
    importFile,
    /** Any agent: the composer reports what it caught. Words no longer listed are ignored. */
    recordCatches(args: { words: string[]; outcome: 'sent' | 'stopped' }): null {
      const at = now();
      const keys = [...new Set(args.words.map(wordKey).filter(Boolean))];
      store.tx(() => {
        for (const key of keys) store.redLines.recordCatch(key, args.outcome, at);
      });
      return null;
    },
    /** The shop's matcher, compiled once per change of the list. */
    matcher(): RedLineMatcher {
      const head = store.changes.head();
      if (compiled?.head !== head) compiled = { head, matcher: compileRedLines(store.redLines.words(), store.redLines.exceptions()) };
      return compiled.matcher;
    },
  };
}

export type RedLineService = ReturnType<typeof redLineService>;

/** Refuses when the caller's text holds a red-line word, unless a lead confirmed it knowingly. */
export function checkRedLines(matcher: RedLineMatcher, texts: string[], caller: Caller, confirmed: boolean | undefined): void {
  const words = [...new Set(texts.flatMap((t) => matcher.find(t).map((m) => m.word)))];
  if (words.length === 0) return;
  if (confirmed) {
    requireRole(caller, 'keepRedLines');
    return;
  }
  throw new AppError('conflict', `the text holds red-line words: ${words.join(', ')}`, { redLines: words });
}
