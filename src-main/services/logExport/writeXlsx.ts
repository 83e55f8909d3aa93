import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Writable } from 'node:stream';
import type { Style, Worksheet } from 'exceljs';
import { STEP_MASK } from './pace';
import { cells, COLUMN_KEYS, LABELS, toRecord, type ColumnKey } from './records';
import type { TextWriteContext } from './writeText';

/** Rows per sheet: Excel holds 1,048,576 per sheet; a round million (plus the header) stays under it. */
export const SHEET_ROWS = 1_000_000;
/** Excel's limit on the characters of one cell. */
export const CELL_MAX_CHARS = 32_767;

const WIDTHS: Record<ColumnKey, number> = {
  time: 31,
  localTime: 20,
  conversationId: 38,
  buyerNick: 20,
  agent: 14,
  direction: 8,
  type: 10,
  text: 60,
  orderNo: 22,
};

/** Characters XML 1.0 cannot carry (controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const XML_ILLEGAL =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A text cell Excel will open and show as written: XML-illegal characters become U+FFFD; CR LF and
 * lone CR become LF (Excel's line break; XML readers would fold them anyway); a literal `_xHHHH_`,
 * which Excel would decode as an escaped character, is itself escaped; overlong text is cut with '…'.
 */
export function xlsxText(s: string): string {
  if (s.length <= CELL_MAX_CHARS && !SUSPECT.test(s)) return s;
  const safe = s
    .replace(XML_ILLEGAL, '\uFFFD')
    .replace(/\r\n?/g, '\n')
    .replace(/_x([0-9A-Fa-f]{4})_/g, '_x005F_x$1_');
  return safe.length > CELL_MAX_CHARS ? `${safe.slice(0, CELL_MAX_CHARS - 1)}…` : safe;
}

/** Anything xlsxText might change (most cells hold none of it, and skip the replacements). */
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\r\uD800-\uDFFF\uFFFE\uFFFF]|_x/;

/** Bytes the zip may hold unwritten before the writer waits. */
const ZIP_BACKLOG = 8 * 1024 * 1024;

/** exceljs's StreamBuf (a sheet's XML) and what it pipes into: readable-stream objects, read defensively. */
type Piped = Writable & { _writableState?: { length?: number; needDrain?: boolean } };
type SheetStream = { pipes?: Piped[]; buffers?: unknown[] };

const pending = (p: Piped): number => p.writableLength ?? p._writableState?.length ?? 0;
const needsDrain = (p: Piped): boolean => p.writableNeedDrain ?? p._writableState?.needDrain ?? false;

/**
 * exceljs's streaming writer hands each sheet's XML to the zip (archiver) without waiting for it
 * (its StreamBuf ignores the return of write), so a writer faster than deflate piles the XML up in
 * the zip entry's input stream: hundreds of MB at a million rows. This looks at that stream (exceljs
 * internals, read defensively) and waits for it to drain; the zip's own output to the file respects
 * the file's backpressure.
 */
async function zipDrain(sheet: Worksheet, file: Writable): Promise<void> {
  for (;;) {
    const stream = (sheet as unknown as { stream?: SheetStream }).stream;
    const pipes = stream?.pipes ?? [];
    const full = pipes.find((p) => pending(p) > ZIP_BACKLOG && needsDrain(p));
    if (full) {
      await once(full, 'drain');
      continue;
    }
    // A sheet whose zip entry has not started yet keeps its XML in 64 KiB buffers.
    if (pipes.length === 0 && (stream?.buffers?.length ?? 0) * 65_536 > ZIP_BACKLOG) {
      await sleep(5);
      continue;
    }
    if (file.writableNeedDrain) {
      await once(file, 'drain');
      continue;
    }
    return;
  }
}

const DATE_STYLE = { numFmt: 'yyyy-mm-dd hh:mm:ss' };

export type XlsxOptions = { sheetRows?: number; exportedAt: number; shopName: string };

/**
 * XLSX through exceljs's streaming WorkbookWriter: inline strings (no shared-string table held in
 * memory), a bold frozen header with a filter, column widths, the local time as a real date cell,
 * a new sheet every `sheetRows` rows, the same neutralisation as CSV.
 */
export async function writeXlsx(ctx: TextWriteContext, options: XlsxOptions): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const { out, pace, clock } = ctx;
  const labels = LABELS[ctx.locale];
  const sheetRows = Math.max(1, options.sheetRows ?? SHEET_ROWS);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out.stream, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Jiedai';
  workbook.created = new Date(options.exportedAt);
  workbook.title = `${options.shopName} ${labels.transcript.title}`;
  const header = COLUMN_KEYS.map((k) => labels.columns[k]);
  // One style object per column, shared by all its cells: exceljs caches a style's id by object, so a
  // shared object is looked up once instead of rendered and compared for every cell (2 s per 300k rows).
  const cellStyles = COLUMN_KEYS.map((k) => (k === 'localTime' ? DATE_STYLE : {}));

  let sheets = 0;
  const addSheet = (): Worksheet => {
    sheets++;
    const name = sheets === 1 ? labels.transcript.title : `${labels.transcript.title} (${sheets})`;
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }] });
    sheet.columns = COLUMN_KEYS.map((key) => ({
      key,
      width: WIDTHS[key],
      ...(key === 'localTime' ? { style: DATE_STYLE } : {}),
    }));
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } };
    const head = sheet.addRow(header);
    head.font = { bold: true };
    head.commit();
    return sheet;
  };

  let sheet = addSheet();
  let inSheet = 0;
  const writeRows = async (): Promise<void> => {
    for (const row of ctx.queries.rows(ctx.filter, ctx.pace.total)) {
      if (inSheet === sheetRows) {
        // The next sheet's zip entry starts once this one's is complete.
        await new Promise<void>((resolve) => {
          (sheet as unknown as { stream: NodeJS.EventEmitter }).stream.once('zipped', () => resolve());
          sheet.commit();
        });
        sheet = addSheet();
        inSheet = 0;
      }
      const record = toRecord(row, clock, ctx.agents);
      // An empty text (no agent, no order) is no cell at all.
      const values: (string | Date | null)[] = cells(record, labels).map((c) => (c === '' ? null : xlsxText(c)));
      values[1] = clock.wallDate(record.timeMs);
      const added = sheet.addRow(values);
      for (let i = 0; i < values.length; i++) {
        if (values[i] !== null) added.getCell(i + 1).style = cellStyles[i] as Partial<Style>;
      }
      added.commit();
      inSheet++;
      if ((++pace.done & STEP_MASK) === 0) {
        await pace.step();
        await zipDrain(sheet, out.stream);
      }
    }
  };

  try {
    await writeRows();
    await workbook.commit();
  } catch (error) {
    // Cancelled or failed: stop the zip and detach it from the file before the file is discarded,
    // so nothing writes into a closed stream.
    const zip = (workbook as unknown as { zip?: { unpipe(s: Writable): void; abort(): void } }).zip;
    zip?.unpipe(out.stream);
    zip?.abort();
    throw error;
  }
}
