import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { gbkByteLength } from './gbk';

describe('gbkByteLength', () => {
  it('counts as GBK encodes: ASCII one byte, Chinese two', () => {
    for (const text of ['', 'abc 123', '亲，已备注顺丰', '颜色:雾霾蓝;尺码:M', '（全角）！？']) {
      expect(gbkByteLength(text)).toBe(iconv.encode(text, 'gbk').length);
    }
  });

  it('counts characters outside GBK (emoji, 𠮷) as four bytes, as GB18030 stores them', () => {
    expect(gbkByteLength('😀')).toBe(iconv.encode('😀', 'gb18030').length);
    expect(gbkByteLength('𠮷')).toBe(4);
  });
});
