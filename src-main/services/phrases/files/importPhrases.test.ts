import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_FILE_BYTES, MAX_IMPORT_FILE_MB } from '../../../../shared/domain/phraseRules';
import { openStore, type Store } from '../../../store';
import { exportPhrases, exportRows } from './exportPhrases';
import { importPhrases, type ImportOptions } from './importPhrases';

const FIXTURES = path.resolve(import.meta.dirname, '../../../../tests/fixtures/phrases');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

function emptyShop(): Store {
  const store = openStore(':memory:');
  store.agents.insert({ id: 'sup', nick: '主管小王', role: 'supervisor', state: 'online', created_at: 0 });
  return store;
}

const options = (o: Partial<ImportOptions> = {}): ImportOptions => ({
  scope: 'team',
  mode: 'merge',
  skipInvalid: false,
  lang: 'zh-CN',
  agentId: 'sup',
  ...o,
});

describe('importing the fixtures as their README says', () => {
  it('qianniu-style.csv: GBK, 36 phrases, blank groups in 未分组, real line breaks and the kd comma', async () => {
    const store = emptyShop();
    const report = await importPhrases(store, 'qianniu-style.csv', fixture('qianniu-style.csv'), { ...options(), commit: true });
    expect(report).toMatchObject({ outcome: 'committed', encoding: 'gb18030', delimiter: ',', counts: { new: 36, invalid: 0 } });
    const rows = exportRows(store, 'sup');
    expect(rows).toHaveLength(36);
    expect(rows.filter((r) => r.group === '未分组')).toHaveLength(2);
    expect(rows.filter((r) => r.content.includes('\n'))).toHaveLength(2);
    expect(rows.find((r) => r.code === 'kd')!.content).toContain('(ZTO, Yunda)');
    expect(rows.some((r) => /&#(13|44);/.test(r.content))).toBe(false);
  });

  it('team-scripts.xlsx: 31 team and 5 personal phrases (是否加入团队 = 否), blank group → 未分组', async () => {
    const store = emptyShop();
    const report = await importPhrases(store, 'team-scripts.xlsx', fixture('team-scripts.xlsx'), { ...options(), commit: true });
    expect(report).toMatchObject({ outcome: 'committed', sheet: '快捷短语', counts: { new: 36, invalid: 0 } });
    const rows = exportRows(store, 'sup');
    expect(rows.filter((r) => r.scope === 'team')).toHaveLength(31);
    expect(rows.filter((r) => r.scope === 'personal')).toHaveLength(5);
    expect(rows.some((r) => r.group === '未分组')).toBe(true);
  });

  it('phrases.json: 36 team phrases', async () => {
    const store = emptyShop();
    const report = await importPhrases(store, 'phrases.json', fixture('phrases.json'), { ...options(), commit: true });
    expect(report).toMatchObject({ outcome: 'committed', unit: 'item', counts: { new: 36, invalid: 0 } });
    expect(exportRows(store, 'sup').every((r) => r.scope === 'team')).toBe(true);
  });

  it('with-errors.csv: a dry run names rows 4, 6, 7 and 8 with their reasons; all-or-nothing writes nothing; skip-invalid writes rows 2, 3, 5, 9', async () => {
    const store = emptyShop();
    const dry = await importPhrases(store, 'with-errors.csv', fixture('with-errors.csv'), { ...options(), commit: false });
    expect(dry).toMatchObject({ outcome: 'dry_run', encoding: 'utf-8-bom', counts: { new: 4, invalid: 4 } });
    expect(dry.problems.map((p) => [p.row, p.column])).toEqual([
      [4, 'content'],
      [6, 'code'],
      [7, 'code'],
      [8, 'content'],
    ]);
    expect(dry.problems.map((p) => p.message)).toEqual([
      '快捷短语内容为空',
      '快捷编码与第 5 行的快捷编码重复',
      '快捷编码超过 16 个字符（现有 21 个）',
      expect.stringMatching(/^快捷短语超过 2000 个字符/),
    ]);
    const stopped = await importPhrases(store, 'with-errors.csv', fixture('with-errors.csv'), { ...options(), commit: true });
    expect(stopped.outcome).toBe('stopped');
    expect(store.stats.counts().replies).toBe(0);
    const skipped = await importPhrases(store, 'with-errors.csv', fixture('with-errors.csv'), {
      ...options({ skipInvalid: true }),
      commit: true,
    });
    expect(skipped.outcome).toBe('committed');
    const rows = exportRows(store, 'sup');
    expect(rows.map((r) => r.code).sort()).toEqual(['', 'ok1', 'ok2', 'ok3']);
    expect(rows.find((r) => r.code === 'ok2')!.content).toBe('第一行\n第二行，带逗号');
  });

  it('says the same in English when asked', async () => {
    const dry = await importPhrases(emptyShop(), 'with-errors.csv', fixture('with-errors.csv'), {
      ...options({ lang: 'en' }),
      commit: false,
    });
    expect(dry.problems[0]!.message).toBe('content is empty');
  });
});

describe('round trips', () => {
  for (const format of ['xlsx', 'csv', 'json'] as const) {
    it(`export to .${format} then import again: every row unchanged, text exact`, async () => {
      const store = emptyShop();
      await importPhrases(store, 'team-scripts.xlsx', fixture('team-scripts.xlsx'), { ...options(), commit: true });
      // awkward text survives too
      const tricky = Buffer.from(
        '\uFEFF分组,快捷编码,标题,快捷短语\n特殊,tx,奇怪,"=SUM(A1) <img src=x onerror=alert(1)> 𠮷😀\u200b ""引号"", &#44;"\n',
        'utf8',
      );
      await importPhrases(store, 'tricky.csv', tricky, { ...options(), commit: true });
      const before = exportRows(store, 'sup');
      expect(before.find((r) => r.code === 'tx')!.content).toBe('=SUM(A1) <img src=x onerror=alert(1)> 𠮷😀\u200b "引号", &#44;');
      const file = await exportPhrases(store, 'sup', format);
      const again = await importPhrases(store, `library.${format}`, file, { ...options(), commit: true });
      expect(again.counts).toMatchObject({ new: 0, updated: 0, invalid: 0, unchanged: before.length });
      expect(exportRows(store, 'sup')).toEqual(before);
    });
  }
});

describe('our own CSV export', () => {
  it('is valid CSV: a phrase with line breaks is one quoted field, formula-looking cells are neutralised, and it imports back unchanged', async () => {
    const store = emptyShop();
    const source = Buffer.from(
      '\uFEFF分组,快捷编码,标题,快捷短语\n售后,th,退货,"第一步：申请退货\n第二步：填写单号"\n售后,js,优惠,-5 元优惠券已发放\n售后,fm,公式,=HYPERLINK("http://x")\n',
      'utf8',
    );
    await importPhrases(store, 'source.csv', source, { ...options(), commit: true });
    const before = exportRows(store, 'sup');
    const file = await exportPhrases(store, 'sup', 'csv');
    const text = file.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    // a reader that splits records on any line break (Excel does) still sees one field
    expect(text).toContain('"第一步：申请退货\n第二步：填写单号"');
    const records = Papa.parse<string[]>(text.slice(1), { newline: '\r\n', skipEmptyLines: true }).data;
    expect(records).toHaveLength(4);
    expect(records.every((r) => r.length === 5)).toBe(true);
    expect(records.find((r) => r[1] === 'th')![3]).toBe('第一步：申请退货\n第二步：填写单号');
    expect(records.find((r) => r[1] === 'js')![3]).toBe("'-5 元优惠券已发放");
    expect(records.find((r) => r[1] === 'fm')![3]).toBe('\'=HYPERLINK("http://x")');
    const again = await importPhrases(store, 'library.csv', file, { ...options(), commit: true });
    expect(again.counts).toMatchObject({ new: 0, updated: 0, invalid: 0, unchanged: 3 });
    expect(exportRows(store, 'sup')).toEqual(before);
  });
});

describe('modes', () => {
  it('merge updates by code within the scope; replace also deletes what the file no longer has in its groups', async () => {
    const store = emptyShop();
    const v1 = Buffer.from('\uFEFF分组,快捷编码,快捷短语\n物流,kd,默认中通\n物流,sf,顺丰到付\n售后,th,七天无理由\n', 'utf8');
    await importPhrases(store, 'v1.csv', v1, { ...options(), commit: true });
    const v2 = Buffer.from('\uFEFF分组,快捷编码,快捷短语\n物流,kd,默认韵达\n', 'utf8');
    const merge = await importPhrases(store, 'v2.csv', v2, { ...options(), commit: false });
    expect(merge.counts).toMatchObject({ updated: 1, deleted: 0 });
    const replace = await importPhrases(store, 'v2.csv', v2, { ...options({ mode: 'replace' }), commit: true });
    expect(replace.counts).toMatchObject({ updated: 1, deleted: 1 });
    expect(exportRows(store, 'sup').map((r) => `${r.group}/${r.code}/${r.content}`)).toEqual(['物流/kd/默认韵达', '售后/th/七天无理由']);
  });
});

describe('hostile and odd files', () => {
  const refused = async (name: string, data: Buffer, o: Partial<ImportOptions> = {}) => {
    const report = await importPhrases(emptyShop(), name, data, { ...options(o), commit: true });
    expect(report.outcome).toBe('refused');
    return report.error ?? '';
  };

  it('refuses a legacy .xls with "save it as .xlsx"', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    expect(await refused('old.xls', ole)).toContain('另存为');
  });

  it('refuses a file without a content column, naming the columns it saw', async () => {
    expect(await refused('x.csv', Buffer.from('名字,电话\n张三,123\n'))).toBe(
      '没有找到短语内容列（如“快捷短语”“短语内容”“content”）。文件中的列：名字、电话。',
    );
  });

  it('refuses files over 20 MB and over 50,000 rows', async () => {
    expect(await refused('big.csv', Buffer.alloc(MAX_IMPORT_FILE_BYTES + 1, 0x61))).toBe(
      `文件有 ${MAX_IMPORT_FILE_MB + 1} MB，超过 ${MAX_IMPORT_FILE_MB} MB 的上限，请拆分后再导入。`,
    );
    const many = Buffer.from(`快捷短语\n${'亲\n'.repeat(50_001)}`);
    expect(await refused('many.csv', many)).toContain('50000');
  });

  it('refuses a broken xlsx and a zip bomb with a clear message, quickly', async () => {
    expect(await refused('broken.xlsx', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(2000, 7)]))).toContain('无法读取');
    // a zip whose central directory promises 4 GB of content
    const bomb = zipWithDeclaredSize(0xfffffffe);
    const started = Date.now();
    expect(await refused('bomb.xlsx', bomb)).toContain('解压后超过');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('takes a 100,000-character cell as one invalid row, not a crash', async () => {
    const report = await importPhrases(emptyShop(), 'long.csv', Buffer.from(`快捷短语\n${'长'.repeat(100_000)}\n短的\n`), {
      ...options(),
      commit: false,
    });
    expect(report.counts).toMatchObject({ new: 1, invalid: 1 });
  });

  it('reads UTF-16 (Excel "Unicode text", tab separated) and a semicolon CSV, and honours an encoding override', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('分组\t快捷编码\t快捷短语\n售前\thy\t亲，在的\n', 'utf16le')]);
    const a = await importPhrases(emptyShop(), 'unicode.txt', utf16, { ...options(), commit: false });
    expect(a).toMatchObject({ encoding: 'utf-16le', delimiter: '\t', counts: { new: 1 } });
    const semi = await importPhrases(emptyShop(), 'semi.csv', Buffer.from('分组;快捷编码;快捷短语\n售前;hy;亲，在的\n'), {
      ...options(),
      commit: false,
    });
    expect(semi).toMatchObject({ delimiter: ';', counts: { new: 1 } });
    expect(await refused('x.csv', Buffer.from('快捷短语\n亲\n'), { encoding: 'ebcdic' })).toContain('不支持的编码');
  });
});

/** A minimal zip (one stored entry) whose central directory declares `size` uncompressed bytes. */
function zipWithDeclaredSize(size: number): Buffer {
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt32LE(10, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(name.length, 28);
  const body = Buffer.concat([local, name, Buffer.alloc(10)]);
  const dir = Buffer.concat([central, name]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(body.length, 16);
  return Buffer.concat([body, dir, end]);
}

describe('red lines in an import', () => {
  it("names rows whose phrase holds a red-line word, and still imports them (an import is a lead's)", async () => {
    const store = emptyShop();
    const csv = Buffer.from('\uFEFF快捷编码,快捷短语,快捷短语分组\nwx,亲，加 微 信领券,售前\nfh,第一时间为您发货,售前\n', 'utf8');
    const report = await importPhrases(store, 'scripts.csv', csv, { ...options(), commit: true });
    expect(report.problems.map((p) => [p.row, p.column, p.rule, p.message])).toEqual([
      [2, 'content', 'red_line', '快捷短语含有平台红线词：加微信（仍会导入，请确认）'],
    ]);
    expect(report).toMatchObject({ outcome: 'committed', counts: { new: 2, invalid: 0 } });
    expect(
      exportRows(store, 'sup')
        .map((r) => r.code)
        .sort(),
    ).toEqual(['fh', 'wx']);
  });
});
