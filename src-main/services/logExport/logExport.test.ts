import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
// @ts-expect-error jsdom ships no types (and @types/jsdom would bring the DOM lib into the Node layer's program)
import { JSDOM } from 'jsdom';
import JSZip from 'jszip';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExportFiltersInput, ExportFormat } from '../../../shared/contract/logExport';
import { EXPORT_EXTENSIONS, exportFiltersSchema } from '../../../shared/contract/logExport';
import { openLogReader, openStore, type LogReader, type Store } from '../../store';
import { seedMessageHistory } from '../demo/seedHistory';
import { ExportCancelled } from './output';
import { resolveFilter, runExport, withAutomated, type ExportRequest } from './runExport';
import { cells, COLUMN_KEYS, LABELS, toRecord } from './records';
import { expectedOf, MESSAGES, ORDER, SHANGHAI_DAY_START, writeFixture, type FixtureMessage } from './testFixture';
import { ZonedClock } from './timeZone';
import { transcriptFileName } from './writeHtml';
import { csvField, csvLine } from '../csv/csvText';
import { productCardText } from '../../../shared/domain/productCard';

/** The little of the DOM these tests read, typed here (the Node layer's program has no DOM lib). */
type El = {
  id: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El> & Iterable<El>;
};
type Doc = El & { getElementById(id: string): El | null };
const parseHtml = (html: string): Doc => (new JSDOM(html) as { window: { document: Doc } }).window.document;

let dir: string;
let store: Store;
let reader: LogReader;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-export-'));
  store = openStore(path.join(dir, 'jiedai.sqlite'));
  writeFixture(store);
  reader = openLogReader(path.join(dir, 'jiedai.sqlite'));
});
afterEach(() => {
  reader.close();
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const DAY18 = { from: '2024-06-18', to: '2024-06-18' };
const ids = (...names: string[]) => names;
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => `m${String(a + i).padStart(2, '0')}`);
const byId = (id: string) => MESSAGES.find((m) => m.id === id) as FixtureMessage;

function request(format: ExportFormat, filters: ExportFiltersInput, extra: Partial<ExportRequest> = {}): ExportRequest {
  return {
    filters: exportFiltersSchema.parse(filters),
    format,
    locale: 'zh-CN',
    timeZone: 'Asia/Shanghai',
    shopName: '小桃家<女装>旗舰店',
    exportedAt: Date.UTC(2024, 6, 1, 2, 0, 0),
    path: path.join(dir, `out${EXPORT_EXTENSIONS[format]}`),
    overwrite: true,
    tag: 'test',
    ...extra,
  };
}

async function exportTo(format: ExportFormat, filters: ExportFiltersInput, extra: Partial<ExportRequest> = {}) {
  const req = request(format, filters, extra);
  const outcome = await runExport(reader.queries, req);
  return { ...outcome, file: req.path };
}

/** Shop-local time as Intl writes it (an independent formatter: 'sv-SE' gives YYYY-MM-DD HH:mm:ss). */
const shanghai = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** What a spreadsheet cell must hold: a leading = + - @ tab or CR gets an apostrophe. */
const neutralised = (s: string) => (['=', '+', '-', '@', '\t', '\r'].includes(s.charAt(0)) ? `'${s}` : s);

function readJsonl(file: string) {
  const text = fs.readFileSync(file, 'utf8');
  if (text.length > 0) expect(text.endsWith('\n')).toBe(true);
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('CSV export', () => {
  it('writes every message of the day with a BOM, CRLF rows and RFC 4180 quoting that papaparse reads back exactly', async () => {
    const { file, rows } = await exportTo('csv', DAY18);
    const bytes = fs.readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toBe('时间(ISO 8601),本地时间,会话ID,买家昵称,客服,方向,消息类型,内容,订单号');
    const parsed = Papa.parse<string[]>(text, { newline: '\r\n', skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const [header, ...data] = parsed.data;
    expect(header).toHaveLength(9);
    expect(rows).toBe(15);
    expect(data).toHaveLength(15);
    const expected = range(1, 15).map(byId).map(expectedOf);
    data.forEach((row, i) => {
      const e = expected[i]!;
      expect(new Date(row[0]!).getTime()).toBe(e.createdAt);
      expect(row[0]).toMatch(/\+08:00$/);
      expect(row[1]).toBe(shanghai.format(e.createdAt));
      expect(row[2]).toBe(e.conversationId);
      expect(row[3]).toBe(neutralised(e.buyerNick));
      expect(row[4]).toBe(e.agent ?? '');
      expect(row[5]).toBe({ buyer: '买家', agent: '客服', system: '系统' }[e.sender]);
      expect(row[6]).toBe(e.kind === 'order_card' ? '订单卡片' : '文本');
      expect(row[7]).toBe(neutralised(e.text));
      expect(row[8]).toBe(e.orderNo ?? '');
    });
  });

  it('writes the bytes the record pipeline writes (csvLine of the cells of each record), whatever the text holds', async () => {
    const at = SHANGHAI_DAY_START + 20 * 60 * 60_000;
    store.agents.insert({ id: 'ag-minus', nick: '-减价专员,"A"', role: 'agent', state: 'online', created_at: at });
    const texts = [
      'a,b',
      'say "hi"',
      'lone\rCR',
      'lone\nLF',
      "'=already",
      "''+twice",
      "it's",
      '=1+1',
      '',
      '👍🏽 好评 🇨🇳',
      '"',
      ',',
      '@',
      "'",
      '\t\r\n',
    ];
    texts.forEach((text, i) =>
      store.messages.insert({
        id: `m-x${i}`,
        conversation_id: i % 2 ? 'k2' : 'k3',
        sender: i % 3 === 0 ? 'agent' : 'buyer',
        agent_id: i % 3 === 0 ? (i % 2 ? 'ag-minus' : 'ag-jie') : null,
        kind: 'text',
        text,
        order_id: null,
        created_at: at + i * 1001,
        ...(i === 4 ? { automated: 'auto_reply' as const } : {}),
      }),
    );
    for (const [locale, timeZone] of [
      ['zh-CN', 'Asia/Shanghai'],
      ['en', 'America/New_York'],
    ] as const) {
      const req = request('csv', { from: '2024-06-01', to: '2024-06-30' }, { locale, timeZone });
      const outcome = await runExport(reader.queries, req);
      const clock = new ZonedClock(timeZone);
      const agents = withAutomated(reader.queries.agentNicks(), locale);
      const labels = LABELS[locale];
      let expected = `\uFEFF${csvLine(COLUMN_KEYS.map((k) => labels.columns[k]))}`;
      reader.queries.begin();
      for (const row of reader.queries.rows(resolveFilter(req.filters, clock)))
        expected += csvLine(cells(toRecord(row, clock, agents), labels));
      reader.queries.end();
      expect(outcome.rows).toBe(17 + texts.length);
      expect(fs.readFileSync(req.path).equals(Buffer.from(expected, 'utf8')), locale).toBe(true);
    }
  });

  it('prints a product card as 商品卡片 with its lines (title, variant, price, link)', async () => {
    const text = productCardText({ title: '阔腿牛仔裤', sku: '黑色 XL', priceCents: 12_900, url: 'https://shop.example/item?id=1' });
    store.messages.insert({
      id: 'm-card',
      conversation_id: 'k1',
      sender: 'agent',
      agent_id: 'ag-mei',
      kind: 'product_card',
      text,
      order_id: null,
      created_at: SHANGHAI_DAY_START + 30 * 60_000,
    });
    const { file } = await exportTo('csv', DAY18);
    const parsed = Papa.parse<string[]>(fs.readFileSync(file, 'utf8').slice(1), { newline: '\r\n', skipEmptyLines: true });
    const card = parsed.data.find((row) => row[6] === '商品卡片');
    expect(card?.[7]).toBe('阔腿牛仔裤\n黑色 XL\n¥129.00\nhttps://shop.example/item?id=1');
  });

  it('quotes every field holding a CR or LF: outside quotes, line breaks are CRLF only (RFC 4180)', async () => {
    const { file } = await exportTo('csv', DAY18);
    const text = fs.readFileSync(file, 'utf8');
    let quoted = false;
    let records = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '"') quoted = !quoted;
      else if (!quoted && c === '\r') {
        expect(text[i + 1], `bare CR at ${i}`).toBe('\n');
        records++;
        i++;
      } else if (!quoted) expect(c, `bare LF at ${i}`).not.toBe('\n');
    }
    expect(quoted).toBe(false);
    expect(records).toBe(16);
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('plain 文本')).toBe('plain 文本');
  });

  it('keeps emoji, 𠮷, line breaks, quotes and commas intact', async () => {
    const { file } = await exportTo('csv', DAY18);
    const data = Papa.parse<string[]>(fs.readFileSync(file, 'utf8').slice(1), { newline: '\r\n', skipEmptyLines: true }).data.slice(1);
    const texts = data.map((r) => r[7]);
    expect(texts).toContain('在吗？👋');
    expect(texts).toContain('这件𠮷野家同款有M码吗\n第二行\r\n第三行');
    expect(texts).toContain('He said "hi", then left, 好吧');
    expect(data.map((r) => r[3])).toContain('橙子,不酸"');
  });

  it('neutralises cells a spreadsheet would take for a formula', async () => {
    const { file } = await exportTo('csv', DAY18);
    const data = Papa.parse<string[]>(fs.readFileSync(file, 'utf8').slice(1), { newline: '\r\n', skipEmptyLines: true }).data.slice(1);
    const texts = data.map((r) => r[7]);
    for (const t of [
      `'=HYPERLINK("http://evil.example","点我")`,
      "'+86 138 0000 0000",
      "'-5元优惠券已发放",
      "'@所有人 发货了吗",
      "'\t制表符开头",
      "'\r回车开头",
    ]) {
      expect(texts).toContain(t);
    }
    expect(data.map((r) => r[3])).toContain("'=cmd|calc");
    for (const row of data) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('writes English headers and labels when asked', async () => {
    const { file } = await exportTo('csv', DAY18, { locale: 'en' });
    const data = Papa.parse<string[]>(fs.readFileSync(file, 'utf8').slice(1), { newline: '\r\n', skipEmptyLines: true }).data;
    expect(data[0]?.[0]).toBe('Time (ISO 8601)');
    // Directions and kinds read as the English desk shows them (one dictionary for both).
    expect(new Set(data.slice(1).map((r) => r[5]))).toEqual(new Set(['Buyer', 'Agent', 'System']));
    expect(new Set(data.slice(1).map((r) => r[6]))).toEqual(new Set(['Text', 'Order card']));
  });
});

describe('JSON Lines export', () => {
  it('writes one typed object per message, text exactly as stored', async () => {
    const { file } = await exportTo('jsonl', DAY18);
    const lines = readJsonl(file);
    expect(lines.map((l) => l.id)).toEqual(range(1, 15));
    for (const line of lines) {
      const e = expectedOf(byId(line.id as string));
      expect(line).toEqual({
        id: e.id,
        time: expect.stringMatching(/^2024-06-1[89]T\d\d:\d\d:\d\d\.\d{3}\+08:00$/),
        timeMs: e.createdAt,
        localTime: shanghai.format(e.createdAt),
        conversationId: e.conversationId,
        buyerNick: e.buyerNick,
        agent: e.agent,
        direction: e.sender,
        type: e.kind,
        text: e.text,
        orderNo: e.orderNo,
      });
      expect(new Date(line.time as string).getTime()).toBe(e.createdAt);
    }
  });
});

describe('XLSX export', () => {
  it('splits into sheets, freezes a bold header, sets widths, neutralises, and exceljs reads the same rows back', async () => {
    const { file } = await exportTo('xlsx', DAY18, { sheetRows: 4 });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    expect(book.worksheets.map((s) => s.rowCount)).toEqual([5, 5, 5, 4]);
    const rows: unknown[][] = [];
    for (const sheet of book.worksheets) {
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.getRow(1).getCell(1).value).toBe('时间(ISO 8601)');
      expect(sheet.getRow(1).font?.bold ?? sheet.getRow(1).getCell(1).font?.bold).toBe(true);
      expect(sheet.getColumn(8).width).toBe(60);
      sheet.eachRow((row, n) => {
        if (n > 1) rows.push((row.values as unknown[]).slice(1));
      });
    }
    const expected = range(1, 15).map(byId).map(expectedOf);
    expect(rows).toHaveLength(15);
    rows.forEach((row, i) => {
      const e = expected[i]!;
      expect(new Date(row[0] as string).getTime()).toBe(e.createdAt);
      // The local time is a date cell holding the shop's wall time.
      expect(row[1]).toBeInstanceOf(Date);
      expect((row[1] as Date).toISOString().slice(0, 19).replace('T', ' ')).toBe(shanghai.format(e.createdAt));
      expect(row[2]).toBe(e.conversationId);
      expect(row[3]).toBe(neutralised(e.buyerNick));
      expect(row[7]).toBe(neutralised(e.text).replace(/\r\n?/g, '\n'));
      expect(row[8] ?? '').toBe(e.orderNo ?? '');
    });
  });

  it('puts a million rows on one sheet by default (a small export has one sheet)', async () => {
    const { file } = await exportTo('xlsx', { from: '2024-06-17', to: '2024-06-19' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    expect(book.worksheets).toHaveLength(1);
    expect(book.worksheets[0]?.rowCount).toBe(MESSAGES.length + 1);
  });
});

describe('HTML transcript', () => {
  it('is one self-contained page: header, contents, bubbles, order card, every text escaped', async () => {
    const { file } = await exportTo('html', DAY18);
    const html = fs.readFileSync(file, 'utf8');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/<script|<link|src=["']?http/i);
    const document = parseHtml(html);
    expect(document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).toContain("default-src 'none'");
    expect(document.querySelectorAll('img, script, iframe, object')).toHaveLength(0);
    expect(document.querySelector('h1')?.textContent).toContain('小桃家<女装>旗舰店');
    expect(document.querySelector('header')?.textContent).toContain('2024-07-01 10:00:00'); // export time, shop-local
    const toc = [...document.querySelectorAll('nav li a')].map((a) => a.getAttribute('href'));
    const sections = [...document.querySelectorAll('section.conv')].map((s) => `#${s.id}`);
    expect(toc).toEqual(['#c-k1', '#c-k2', '#c-k3']);
    expect(sections).toEqual(toc);
    const bubbles = [...document.querySelectorAll('.m')];
    expect(bubbles).toHaveLength(15);
    const k1 = document.getElementById('c-k1') as El;
    expect([...k1.querySelectorAll('.m.buyer .b')].map((b) => b.textContent)).toEqual([
      '在吗？👋',
      '这件𠮷野家同款有M码吗\n第二行\r\n第三行'.replace(/\r\n/g, '\n'),
    ]);
    expect(k1.querySelector('.m.agent .who')?.textContent).toContain('小美');
    expect(k1.querySelector('.m.agent time')?.getAttribute('datetime')).toBe('2024-06-18T01:00:00.000+08:00');
    const card = k1.querySelector('.card') as El;
    expect(card.textContent).toContain(ORDER.orderNo);
    expect(card.textContent).toContain('已发货');
    expect(card.textContent).toContain('休闲西装外套女<春秋>小西服');
    expect(card.textContent).toContain('¥259.00');
    const k3 = document.getElementById('c-k3') as El;
    expect(k3.querySelector('.m.buyer .b')?.textContent).toBe('<img src=x onerror=alert(1)>');
    expect(k3.querySelectorAll('.m.system')).toHaveLength(1);
  });

  it('says so when nothing matches', async () => {
    const { file, rows } = await exportTo('html', { from: '2020-01-01', to: '2020-01-02' });
    expect(rows).toBe(0);
    expect(parseHtml(fs.readFileSync(file, 'utf8')).querySelector('.empty')).not.toBeNull();
  });
});

describe('HTML transcripts in a .zip, one page per conversation', () => {
  async function readZip(file: string) {
    const zip = await JSZip.loadAsync(fs.readFileSync(file));
    const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir);
    const pages = new Map<string, string>();
    for (const n of names) pages.set(n, await zip.file(n)!.async('string'));
    return pages;
  }

  it('holds an index linking a printable page per conversation, each with the export header, every text escaped', async () => {
    const { file, rows } = await exportTo('html-zip', DAY18);
    expect(rows).toBe(15);
    const pages = await readZip(file);
    const index = parseHtml(pages.get('index.html')!);
    const links = [...index.querySelectorAll('nav li a')].map((a) => a.getAttribute('href'));
    expect(links).toHaveLength(3);
    expect([...pages.keys()].sort()).toEqual(['index.html', ...links].sort());
    expect(links[0]).toMatch(/^conversations\/0001-.+\.html$/);
    const docs = links.map((l) => parseHtml(pages.get(l!)!));
    for (const doc of docs) {
      expect(doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).toContain("default-src 'none'");
      expect(doc.querySelector('h1')?.textContent).toContain('小桃家<女装>旗舰店');
      expect(doc.querySelector('header')?.textContent).toContain('2024-07-01 10:00:00');
      expect(doc.querySelectorAll('section.conv')).toHaveLength(1);
      expect(doc.querySelectorAll('img, script, iframe, object')).toHaveLength(0);
    }
    expect(docs.map((d) => d.querySelector('section.conv')!.id)).toEqual(['c-k1', 'c-k2', 'c-k3']);
    // each page counts its own messages
    expect(docs.map((d) => /(\d+) 条消息/.exec(d.querySelector('header')!.textContent ?? '')?.[1])).toEqual(
      docs.map((d) => String(d.querySelectorAll('.m').length)),
    );
    expect(docs.reduce((n, d) => n + d.querySelectorAll('.m').length, 0)).toBe(15);
    const k1 = docs[0]!;
    expect([...k1.querySelectorAll('.m.buyer .b')].map((b) => b.textContent)).toEqual([
      '在吗？👋',
      '这件𠮷野家同款有M码吗\n第二行\n第三行',
    ]);
    expect(k1.querySelector('.card')?.textContent).toContain(ORDER.orderNo);
    expect(docs[2]!.querySelector('.m.buyer .b')?.textContent).toBe('<img src=x onerror=alert(1)>');
    expect(pages.get(links[2]!)).not.toContain('<img');
  });

  it('holds only the index, saying so, when nothing matches', async () => {
    const { file, rows } = await exportTo('html-zip', { from: '2020-01-01', to: '2020-01-02' });
    expect(rows).toBe(0);
    const pages = await readZip(file);
    expect([...pages.keys()]).toEqual(['index.html']);
    expect(parseHtml(pages.get('index.html')!).querySelector('.empty')).not.toBeNull();
  });

  it('names each page by its place and the buyer, safe on every file system', () => {
    expect(transcriptFileName(7, '芒果布丁', 4)).toBe('0007-芒果布丁.html');
    expect(transcriptFileName(12, '../a/b:c*?"<>|\u0000', 4)).toBe('0012-__a_b_c_______.html');
    expect(transcriptFileName(1, '   ', 4)).toBe('0001-_.html');
    expect(transcriptFileName(3, '𠮷'.repeat(60), 5)).toBe(`00003-${'𠮷'.repeat(40)}.html`);
  });
});

describe('filters', () => {
  const cases: [string, ExportFiltersInput, string[]][] = [
    ['a day is midnight to midnight in Asia/Shanghai', DAY18, range(1, 15)],
    ['days are inclusive', { from: '2024-06-17', to: '2024-06-19' }, range(0, 16)],
    ['the last millisecond of a day belongs to it', { from: '2024-06-17', to: '2024-06-17' }, ids('m00')],
    ['agents by nick: the writer, or the conversation’s agent', { ...DAY18, agents: ['阿杰'] }, range(6, 11)],
    ['agents by id', { ...DAY18, agents: ['ag-mei'] }, range(1, 5)],
    ['several agents', { ...DAY18, agents: ['小美', '阿杰'] }, range(1, 11)],
    ['customers by nick', { ...DAY18, customers: ['tb_小鹿乱撞'] }, range(1, 5)],
    ['tags by name', { ...DAY18, tags: ['要发票'] }, range(6, 15)],
    ['tags by id', { ...DAY18, tags: ['t-haggle'] }, [...range(1, 5), ...range(12, 15)]],
    ['groups', { ...DAY18, groups: ['VIP'] }, range(1, 5)],
    ['several groups', { ...DAY18, groups: ['新客', 'g-vip'] }, range(1, 11)],
    ['keyword of 3+ characters (trigram index), astral characters count as one', { ...DAY18, keyword: '𠮷野家' }, range(1, 5)],
    ['keyword, Latin letters in any case', { ...DAY18, keyword: 'hyperlink' }, range(1, 5)],
    ['keyword of two characters (LIKE)', { ...DAY18, keyword: '退款' }, range(12, 15)],
    ['keyword with LIKE wildcards is taken literally', { ...DAY18, keyword: '%' }, []],
    ['keyword found only outside the days', { ...DAY18, keyword: '明天的' }, []],
    ['direction', { ...DAY18, directions: ['system'] }, ids('m11', 'm15')],
    ['several directions', { ...DAY18, directions: ['agent', 'system'] }, ids('m02', 'm04', 'm07', 'm11', 'm15')],
    ['filters combine', { ...DAY18, tags: ['爱砍价'], directions: ['buyer'] }, ids('m01', 'm03', 'm05', 'm12', 'm13', 'm14')],
    ['an unknown name matches nothing', { ...DAY18, agents: ['nobody'] }, []],
  ];

  it.each(cases)('%s', async (_name, filters, expected) => {
    const { file, rows } = await exportTo('jsonl', filters);
    const got = readJsonl(file).map((l) => l.id);
    expect(got).toEqual(expected);
    expect(rows).toBe(expected.length);
    // The count preview agrees with the rows.
    const clock = new ZonedClock('Asia/Shanghai');
    const count = reader.queries.count(resolveFilter(exportFiltersSchema.parse(filters), clock));
    expect(count.messages).toBe(expected.length);
    expect(count.conversations).toBe(new Set(expected.map((id) => byId(id).conversationId)).size);
  });

  it('reads the days in the shop’s time zone', async () => {
    const { file } = await exportTo('jsonl', DAY18, { timeZone: 'UTC' });
    expect(readJsonl(file).map((l) => l.id)).toEqual(range(9, 16));
    expect(readJsonl(file)[0]?.time).toBe('2024-06-18T00:00:00.000+00:00');
  });
});

describe('running an export', () => {
  async function bigStore(messages: number) {
    seedMessageHistory(store, { messages, now: SHANGHAI_DAY_START, days: 5 });
    return { from: '2024-06-01', to: '2024-06-30' };
  }

  it.each(['csv', 'xlsx', 'html', 'html-zip'] as const)(
    'cancelled (%s), it leaves no file and no temporary file behind',
    async (format) => {
      const days = await bigStore(6000);
      const req = request(format, days);
      const controller = new AbortController();
      let reports = 0;
      const run = runExport(reader.queries, req, {
        signal: controller.signal,
        progressIntervalMs: 0,
        onProgress: (done, total) => {
          expect(total).toBeGreaterThan(6000);
          if (++reports === 2) controller.abort();
          expect(done).toBeLessThan(total);
        },
      });
      await expect(run).rejects.toBeInstanceOf(ExportCancelled);
      expect(fs.existsSync(req.path)).toBe(false);
      expect(fs.readdirSync(dir).filter((f) => f.includes('.part'))).toEqual([]);
    },
  );

  it('reports progress up to the total', async () => {
    const days = await bigStore(3000);
    const seen: [number, number][] = [];
    const outcome = await runExport(reader.queries, request('csv', days), {
      progressIntervalMs: 0,
      onProgress: (d, t) => seen.push([d, t]),
    });
    const total = seen[0]?.[1] ?? -1;
    expect(seen[0]).toEqual([0, total]);
    expect(seen.at(-1)).toEqual([total, total]);
    expect(outcome.rows).toBe(total);
    expect(seen.map(([d]) => d)).toEqual([...seen.map(([d]) => d)].sort((a, b) => a - b));
  });

  it('counts for a row format the messages the full count counts, whatever the filter', () => {
    const clock = new ZonedClock('Asia/Shanghai');
    const filters: ExportFiltersInput[] = [
      DAY18,
      { from: '2024-06-01', to: '2024-06-30' },
      { ...DAY18, agents: ['阿杰'] },
      { ...DAY18, tags: ['爱砍价'], directions: ['buyer'] },
      { ...DAY18, keyword: '退款' },
      { ...DAY18, customers: ['nobody'] },
    ];
    for (const f of filters) {
      const filter = resolveFilter(exportFiltersSchema.parse(f), clock);
      const full = reader.queries.count(filter).messages;
      expect(reader.queries.countMessages(filter), JSON.stringify(f)).toBe(full);
      expect([...reader.queries.rows(filter)]).toHaveLength(full);
    }
  });

  it('names the rows from the maps exactly as the per-row joins do: transferred, unassigned, automated, order cards', () => {
    const at = SHANGHAI_DAY_START + 20 * 60 * 60_000;
    const insert = (id: string, conversation_id: string, extra: Record<string, unknown>, i: number) =>
      store.messages.insert({
        id,
        conversation_id,
        sender: 'buyer',
        agent_id: null,
        kind: 'text',
        text: id,
        order_id: null,
        created_at: at + i,
        ...extra,
      });
    store.tx(() => {
      // k1 is 小美's now; 阿杰 wrote before the transfer: the row names the writer, the buyer's line the current agent.
      insert('x-before', 'k1', { sender: 'agent', agent_id: 'ag-jie' }, 1);
      insert('x-after', 'k1', {}, 2);
      // k3 has no agent: a buyer line has none, an automated one names the automation.
      insert('x-none', 'k3', {}, 3);
      insert('x-auto', 'k3', { sender: 'agent', automated: 'reminder' }, 4);
      // An order card whose order the shop does not hold: no number, as the LEFT JOIN gave.
      insert('x-card', 'k2', { kind: 'order_card', order_id: 'o-gone' }, 5);
      insert('x-card2', 'k4', { kind: 'order_card', order_id: ORDER.id }, 6);
    });
    const clock = new ZonedClock('Asia/Shanghai');
    const june = { from: '2024-06-01', to: '2024-06-30' };
    const filters: ExportFiltersInput[] = [
      june,
      { ...june, agents: ['阿杰'] },
      { ...june, agents: ['ag-mei'], directions: ['agent', 'buyer'] },
      { ...june, tags: ['爱砍价'], groups: ['VIP'] },
      { ...june, customers: ['橙子,不酸"'] },
      { ...june, keyword: 'x-' },
    ];
    reader.queries.begin();
    try {
      for (const f of filters) {
        const filter = resolveFilter(exportFiltersSchema.parse(f), clock);
        const joined = [...reader.queries.rows(filter, undefined, 'joins')];
        expect([...reader.queries.rows(filter, undefined, 'maps')], JSON.stringify(f)).toEqual(joined);
        expect(joined.length, JSON.stringify(f)).toBe(reader.queries.countMessages(filter));
      }
      const named = new Map(
        [...reader.queries.rows(resolveFilter(exportFiltersSchema.parse(june), clock), undefined, 'maps')].map((r) => [r[0], r]),
      );
      const names = (id: string) => {
        const r = named.get(id);
        return r && [r[6], r[7], r[9]];
      };
      expect(names('x-before')).toEqual(['ag-jie', 'tb_小鹿乱撞', null]);
      expect(names('x-after')).toEqual(['ag-mei', 'tb_小鹿乱撞', null]);
      expect(names('x-none')).toEqual([null, '橙子,不酸"', null]);
      expect(names('x-auto')).toEqual(['auto:reminder', '橙子,不酸"', null]);
      expect(names('x-card')).toEqual(['ag-jie', '=cmd|calc', null]);
      expect(names('x-card2')).toEqual(['ag-jie', 'tb_小鹿乱撞', ORDER.orderNo]);
    } finally {
      reader.queries.end();
    }
  });

  it('picks the maps for an export as large as the shop’s conversations and orders, the joins for a smaller one, same bytes', async () => {
    const days = await bigStore(3000);
    const big = await exportTo('csv', days);
    const clock = new ZonedClock('Asia/Shanghai');
    const labels = LABELS['zh-CN'];
    const agents = withAutomated(reader.queries.agentNicks(), 'zh-CN');
    for (const via of ['maps', 'joins'] as const) {
      let expected = `\uFEFF${csvLine(COLUMN_KEYS.map((k) => labels.columns[k]))}`;
      for (const row of reader.queries.rows(resolveFilter(exportFiltersSchema.parse(days), clock), undefined, via))
        expected += csvLine(cells(toRecord(row, clock, agents), labels));
      expect(fs.readFileSync(big.file).equals(Buffer.from(expected, 'utf8')), via).toBe(true);
    }
    // One conversation's day: fewer messages than the shop's conversations and orders, so joined per row (same bytes again).
    const one = await exportTo('csv', { ...DAY18, customers: ['=cmd|calc'] });
    expect(one.rows).toBe(6);
    const shop = store.db.prepare('SELECT (SELECT count(*) FROM conversations) + (SELECT count(*) FROM orders)').pluck().get() as number;
    expect(one.rows).toBeLessThan(shop);
    expect(big.rows).toBeGreaterThanOrEqual(shop);
  });

  it('does not write over an existing file unless told to, and replaces it when told', async () => {
    const target = path.join(dir, 'keep.csv');
    fs.writeFileSync(target, 'precious');
    await expect(runExport(reader.queries, request('csv', DAY18, { path: target, overwrite: false }))).rejects.toThrow(/exists/);
    expect(fs.readFileSync(target, 'utf8')).toBe('precious');
    await runExport(reader.queries, request('csv', DAY18, { path: target, overwrite: true }));
    expect(fs.readFileSync(target, 'utf8')).toContain('会话ID');
  });

  it('exports one consistent snapshot while another connection writes', async () => {
    const days = await bigStore(4000);
    const req = request('jsonl', days);
    let wrote = false;
    const outcome = await runExport(reader.queries, req, {
      progressIntervalMs: 0,
      onProgress: () => {
        if (wrote) return;
        wrote = true;
        seedMessageHistory(store, { messages: 500, now: SHANGHAI_DAY_START, days: 5, seed: 7 });
      },
    });
    expect(wrote).toBe(true);
    expect(readJsonl(req.path)).toHaveLength(outcome.rows);
    const after = await runExport(reader.queries, { ...req, tag: 'again' });
    expect(after.rows).toBe(outcome.rows + 500);
  });
});
