import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../store';
import { decodeText, utf8Evidence } from './decodeText';
import { importPhrases, type ImportOptions } from './importPhrases';

const PHRASES = [
  '亲，在的，请问有什么可以帮您？',
  '默认发中通快递，偏远地区除外',
  '七天无理由退换，运费险已包含',
  '尺码偏小，建议拍大一码哦',
];
const csv = (rows: string[]) => `分组,快捷编码,快捷短语\n${rows.map((r, i) => `售前,c${i},${r}`).join('\n')}\n`;
/** The UTF-8 file with three bytes that are not UTF-8 (a stray GBK 退 and a lone 0xFF) inside row 3's phrase. */
function utf8WithBadBytes(): Buffer {
  const [head, ...rest] = csv(PHRASES).split('默认发中通快递');
  return Buffer.concat([Buffer.from(head!), Buffer.from([0xcd, 0xcb, 0xff]), Buffer.from(rest.join('默认发中通快递'))]);
}

const options: ImportOptions = { scope: 'team', mode: 'merge', skipInvalid: false, lang: 'zh-CN', agentId: 'sup' };
function dryRun(name: string, data: Buffer, o: Partial<ImportOptions> = {}) {
  const store = openStore(':memory:');
  store.agents.insert({ id: 'sup', nick: '主管', role: 'supervisor', state: 'online', created_at: 0 });
  return importPhrases(store, name, data, { ...options, ...o, commit: false });
}

describe('reading the encoding of a file without a BOM', () => {
  it('counts valid multi-byte sequences and stray bytes', () => {
    expect(utf8Evidence(Buffer.from('亲a😀'))).toEqual({ valid: 2, invalid: 0 });
    expect(utf8Evidence(Buffer.from([0xe4, 0xba, 0xb2, 0xff, 0xc0, 0x80, 0xed, 0xa0, 0x80]))).toEqual({ valid: 1, invalid: 6 });
    expect(utf8Evidence(iconv.encode(PHRASES.join(''), 'gbk')).invalid).toBeGreaterThan(0);
  });

  it('keeps a UTF-8 file with three bad bytes UTF-8: the header reads right and only that row is refused, with its reason', async () => {
    const report = await dryRun('phrases.csv', utf8WithBadBytes());
    expect(report).toMatchObject({ outcome: 'dry_run', encoding: 'utf-8', unknownColumns: [], counts: { new: 3, invalid: 1 } });
    expect(report.problems).toEqual([
      {
        row: 3,
        column: 'content',
        columnName: '快捷短语',
        rule: 'unreadable_chars',
        message: '快捷短语含有无法识别的字符（文件编码可能有误）',
      },
    ]);
  });

  it('says the same in English', async () => {
    const report = await dryRun('phrases.csv', utf8WithBadBytes(), { lang: 'en' });
    expect(report.problems.map((p) => p.message)).toEqual([
      "content holds characters that cannot be read (the file's encoding may be wrong)",
    ]);
  });

  it('still reads a GBK file as GBK', async () => {
    const report = await dryRun('gbk.csv', iconv.encode(csv(PHRASES), 'gbk'));
    expect(report).toMatchObject({ encoding: 'gb18030', counts: { new: 4, invalid: 0 } });
  });

  it('still reads a one-line GBK file as GBK', () => {
    expect(decodeText(iconv.encode('快捷短语\n退款时效\n', 'gbk'))).toEqual({ text: '快捷短语\n退款时效\n', encoding: 'gb18030' });
  });

  it('lets --encoding override the guess (read as GB18030, the UTF-8 header is no longer found)', async () => {
    const report = await dryRun('phrases.csv', utf8WithBadBytes(), { encoding: 'gb18030' });
    expect(report.error).toMatch(/^没有找到短语内容列/);
    expect(decodeText(utf8WithBadBytes(), 'gb18030').encoding).toBe('gb18030');
  });
});
