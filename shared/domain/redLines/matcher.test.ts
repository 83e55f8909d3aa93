import { describe, expect, it } from 'vitest';
import { DEFAULT_RED_LINES, DEFAULT_RED_LINE_EXCEPTIONS } from './defaults';
import { caughtWords, compileRedLines } from './matcher';

const shipped = compileRedLines(DEFAULT_RED_LINES, DEFAULT_RED_LINE_EXCEPTIONS);
const words = (text: string) => caughtWords(shipped.find(text));
const slices = (text: string) => shipped.find(text).map((m) => text.slice(m.start, m.end));

describe('red-line matcher', () => {
  it('finds a word and returns its range in the text as typed', () => {
    const text = '亲，加微信聊吧';
    expect(shipped.find(text)).toEqual([{ start: 2, end: 5, word: '加微信', category: 'contact' }]);
  });

  it('catches spaces and dots put between the characters', () => {
    expect(slices('可以加 微 信吗')).toEqual(['加 微 信']);
    expect(words('加.微-信')).toEqual(['加微信']);
    expect(words('加\u200b微信')).toEqual(['加微信']);
  });

  it('ignores case and width: full-width QQ and lower-case qq are QQ', () => {
    expect(words('我的ＱＱ是')).toEqual(['QQ']);
    expect(words('加qq')).toEqual(['QQ']);
    expect(words('Q Q 号 12345')).toEqual(['QQ号']);
    expect(words('ＶＸ：abc')).toEqual(['vx']);
  });

  it('does not catch a Latin word inside a longer Latin word', () => {
    expect(words('wxyz')).toEqual([]);
    expect(words('a quick qqueue')).toEqual([]);
    expect(words('QQ123456')).toEqual(['QQ']);
  });

  it('keeps the longest word at one place (加微信, not 微信 as well)', () => {
    expect(words('加微信')).toEqual(['加微信']);
    expect(words('有微信吗')).toEqual(['微信']);
  });

  it('finds every word of a message, each with its category', () => {
    const found = shipped.find('全网第一，支付宝转账更便宜，可以私下退款');
    expect(found.map((m) => [m.word, m.category])).toEqual([
      ['全网第一', 'claim'],
      ['支付宝转账', 'contact'],
      ['私下退款', 'refund'],
    ]);
  });

  it('leaves words inside an exception alone: 第一时间 and 您最好先 are no claims, 最好看 is', () => {
    expect(words('我们第一时间为您发货')).toEqual([]);
    expect(words('您最好先量一下腰围')).toEqual([]);
    expect(words('这款最好看')).toEqual(['最好']);
    expect(words('第一次买也放心，这款是第一')).toEqual(['第一']);
    expect(words('第一步先拍下，第一行写尺码')).toEqual([]);
  });

  it('treats words that fold to one key as one word, and skips blank ones', () => {
    const m = compileRedLines([
      { word: 'QQ', category: 'contact' },
      { word: 'ｑｑ', category: 'custom' },
      { word: ' ', category: 'custom' },
    ]);
    expect(m.size).toBe(1);
    expect(m.find('qq')).toEqual([{ start: 0, end: 2, word: 'QQ', category: 'contact' }]);
  });

  it('maps ranges past characters outside the BMP and characters NFKC expands', () => {
    const text = '😀😀加微信';
    expect(slices(text)).toEqual(['加微信']);
    const m = compileRedLines([{ word: 'kg', category: 'custom' }]);
    expect(m.find('5㎏').map((x) => [x.start, x.end])).toEqual([[1, 2]]);
  });

  it('finds nothing in clean text, nor with an empty list', () => {
    expect(words('您好，这款有现货，今天下单明天发')).toEqual([]);
    expect(compileRedLines([]).find('加微信')).toEqual([]);
  });

  it('finds words that share prefixes and suffixes in one pass', () => {
    const m = compileRedLines(['甲乙丙丁', '乙丙', '丙', '乙丙丁戊'].map((word) => ({ word, category: 'custom' as const })));
    expect(m.find('一甲乙丙丁戊').map((x) => x.word)).toEqual(['甲乙丙丁', '乙丙丁戊']);
    expect(m.find('一乙丙二').map((x) => x.word)).toEqual(['乙丙']);
    expect(m.find('丙').map((x) => x.word)).toEqual(['丙']);
  });
});
