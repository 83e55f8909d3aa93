import crypto from 'node:crypto';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../store';
import { importPhrases, type ImportOptions } from './importPhrases';

type ForgedEntry = { name: string; method: 0 | 8; body: Buffer; crc: number; declaredSize: number };

/** A zip written by hand so that its local and central headers can say whatever the test wants. */
function forgedZip(entries: ForgedEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const header = (size: number) => {
      const h = Buffer.alloc(size);
      h.writeUInt16LE(20, size === 30 ? 4 : 6);
      return h;
    };
    const local = header(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.crc, 14);
    local.writeUInt32LE(e.body.length, 18);
    local.writeUInt32LE(e.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const dir = header(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(e.method, 10);
    dir.writeUInt32LE(e.crc, 16);
    dir.writeUInt32LE(e.body.length, 20);
    dir.writeUInt32LE(e.declaredSize, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    parts.push(local, name, e.body);
    central.push(dir, name);
    offset += local.length + name.length + e.body.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, dir, end]);
}

const MB = 1024 * 1024;
const ZEROS = Buffer.alloc(MB);
// One megabyte of zeros as a non-final deflate block ending in a full flush: repeated, they make a
// valid stream of any length in a few milliseconds (the final empty block is 03 00).
const ZERO_BLOCK = zlib.deflateRawSync(ZEROS, { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
const deflatedZeros = (mb: number) => Buffer.concat([...Array<Buffer>(mb).fill(ZERO_BLOCK), Buffer.from([0x03, 0x00])]);
const crcOfZeros = (mb: number) => {
  let crc = 0;
  for (let i = 0; i < mb; i++) crc = zlib.crc32(ZEROS, crc);
  return crc;
};

const real = (name: string, text: string): ForgedEntry => {
  const content = Buffer.from(text);
  return { name, method: 8, body: zlib.deflateRawSync(content), crc: zlib.crc32(content), declaredSize: content.length };
};
const WORKBOOK = [
  real('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
  real('xl/_rels/workbook.xml.rels', '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'),
  real(
    'xl/workbook.xml',
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="快捷短语" sheetId="1" r:id="rId1"/></sheets></workbook>',
  ),
];

const options: ImportOptions = { scope: 'team', mode: 'merge', skipInvalid: false, lang: 'zh-CN', agentId: 'sup' };

function shop() {
  const store = openStore(':memory:');
  store.agents.insert({ id: 'sup', nick: '主管', role: 'supervisor', state: 'online', created_at: 0 });
  return store;
}

/** Imports `data` while sampling the process's resident memory; returns the report and the peak growth. */
async function importWatchingMemory(fileName: string, data: Buffer) {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  try {
    const report = await importPhrases(shop(), fileName, data, { ...options, commit: false });
    peak = Math.max(peak, process.memoryUsage().rss);
    return { report, growthMb: (peak - before) / MB };
  } finally {
    clearInterval(sample);
  }
}

describe('a workbook whose zip headers lie', () => {
  it('refuses a 1 MB .xlsx declaring tiny sizes that would inflate to 1 GB, staying under 200 MB of extra memory', async () => {
    const bomb = forgedZip([
      ...WORKBOOK,
      { name: 'xl/worksheets/sheet1.xml', method: 8, body: deflatedZeros(1024), crc: crcOfZeros(1024), declaredSize: 1000 },
    ]);
    expect(bomb.length).toBeLessThan(2 * MB);
    const { report, growthMb } = await importWatchingMemory('bomb.xlsx', bomb);
    expect(growthMb).toBeLessThan(200);
    expect(report.outcome).toBe('refused');
    expect(report.error).toContain('解压后超过');
  });

  it('counts the budget across entries: an honest 20 MB sheet leaves too little for 20 MB of lying shared strings', async () => {
    // Random 8 KB repeated: deflate squeezes it about 80:1, under the ratio cap, so only the budget can stop it.
    const text = (mb: number) => Buffer.alloc(mb * MB).fill(crypto.randomBytes(8192));
    const sheet = text(20);
    const strings = text(20);
    const entries: ForgedEntry[] = [
      ...WORKBOOK,
      {
        name: 'xl/worksheets/sheet1.xml',
        method: 8,
        body: zlib.deflateRawSync(sheet, { level: 1 }),
        crc: zlib.crc32(sheet),
        declaredSize: sheet.length,
      },
      {
        name: 'xl/sharedStrings.xml',
        method: 8,
        body: zlib.deflateRawSync(strings, { level: 1 }),
        crc: zlib.crc32(strings),
        declaredSize: 10,
      },
    ];
    const { report } = await importWatchingMemory('spread.xlsx', forgedZip(entries));
    expect(report.error).toContain('解压后超过');
  });

  it('refuses a workbook declaring 3 GB that holds a few bytes, without reserving memory for the claim', async () => {
    const huge = forgedZip([...WORKBOOK, { ...real('xl/worksheets/sheet1.xml', '<worksheet/>'), declaredSize: 3 * 1024 * MB }]);
    const { report, growthMb } = await importWatchingMemory('huge.xlsx', huge);
    expect(report.error).toContain('解压后超过');
    expect(growthMb).toBeLessThan(200);
  });

  it('calls an entry whose true size differs from its declared one damaged', async () => {
    const lying = forgedZip([
      ...WORKBOOK,
      { ...real('xl/worksheets/sheet1.xml', '<worksheet><sheetData/></worksheet>'), declaredSize: 5 * MB },
    ]);
    const { report } = await importWatchingMemory('lying.xlsx', lying);
    expect(report.error).toMatch(/^文件无法读取，可能已损坏（zip: xl\/worksheets\/sheet1\.xml does not match its header）/);
  });

  it('refuses an absurd number of entries as damaged', async () => {
    const entries = Array.from({ length: 3000 }, (_, i) => real(`xl/x${i}.xml`, '<x/>'));
    const { report } = await importWatchingMemory('crowd.xlsx', forgedZip(entries));
    expect(report.error).toContain('zip: 3000 entries');
  });

  it('still refuses a workbook with broken XML as unreadable', async () => {
    const broken = forgedZip([
      ...WORKBOOK,
      real('xl/worksheets/sheet1.xml', '<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>快捷短语</t></is></c></row'),
    ]);
    const { report } = await importWatchingMemory('broken.xlsx', broken);
    expect(report.outcome).toBe('refused');
    expect(report.error).toContain('文件无法读取');
  });
});

describe('an honest workbook', () => {
  it('imports a 10,000-row .xlsx with every Chinese character intact (none split between read chunks)', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('快捷短语');
    sheet.addRow(['分组', '快捷编码', '标题', '快捷短语']);
    for (let i = 0; i < 10_000; i++)
      sheet.addRow([`分组${i % 20}`, `c${i}`, `标题${i}`, `亲，您好，第 ${i} 条回复：发货后三天内到，请耐心等待哦～`]);
    const data = Buffer.from(await workbook.xlsx.writeBuffer());
    const { report } = await importWatchingMemory('big.xlsx', data);
    expect(report).toMatchObject({ outcome: 'dry_run', sheet: '快捷短语', counts: { new: 10_000, invalid: 0 } });
  });
});
