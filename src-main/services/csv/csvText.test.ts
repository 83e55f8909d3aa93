import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvDocument, csvField, neutralise, unneutralise } from './csvText';

describe('the one CSV writer', () => {
  it('quotes a field holding a comma, a quote, a lone CR or a lone LF, so every reader sees one field', () => {
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('plain 文本')).toBe('plain 文本');
    const text = csvDocument([
      ['h1', 'h2'],
      ['第一行\n第二行', 'x,y'],
    ]);
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(Papa.parse<string[]>(text.slice(1), { newline: '\r\n', skipEmptyLines: true }).data).toEqual([
      ['h1', 'h2'],
      ['第一行\n第二行', 'x,y'],
    ]);
  });

  it('neutralises formula-looking text and gives every text back exactly', () => {
    expect(neutralise('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(neutralise('-5 元优惠')).toBe("'-5 元优惠");
    expect(neutralise('亲，在的')).toBe('亲，在的');
    expect(neutralise("'=already")).toBe("''=already");
    for (const s of ['=1+1', '+86', '@all', '\tx', '\rx', "'=x", "''+y", "'plain", "it's", '', '亲']) {
      expect(unneutralise(neutralise(s))).toBe(s);
    }
  });
});
