import { pinyin } from 'pinyin-pro';
import { describe, expect, it } from 'vitest';
import { TEAM_PHRASES } from '../demo/data/phrases';
import { phraseSearchKeys } from './searchKeys';

describe('the search keys of a quick phrase', () => {
  const keys = phraseSearchKeys({ code: 'CM', title: '尺码推荐', content: '亲，麻烦告诉我您的身高和体重～' });

  it('hold the code and the text, in lower case', () => {
    expect(keys).toContain('cm');
    expect(keys).toContain('尺码推荐');
    expect(keys).toContain('亲，麻烦告诉我您的身高和体重～');
    expect(keys).toBe(keys.toLowerCase());
  });

  it('find the phrase by pinyin initials and by full pinyin, past punctuation', () => {
    expect(keys).toContain('cmtj');
    expect(keys).toContain('qmfgswndsghtz');
    expect(keys).toContain('chimatuijian');
    expect(keys).toContain('shengaohetizhong');
  });

  it('keep letters and digits inside the text in the pinyin keys', () => {
    expect(phraseSearchKeys({ code: '', title: 'M码', content: '48小时发货' })).toContain('mm 48xsfh');
  });

  it('read title and content each as alone, though computed in one call (polyphones at the seam too)', () => {
    // The keys as two separate pinyin-pro calls give them.
    const alone = (text: string) => {
      const parts = pinyin(text, { toneType: 'none', type: 'array', v: true }).filter((p) => /^[\p{L}\p{N}]+$/u.test(p));
      return [parts.map((p) => p[0]).join(''), parts.join('')];
    };
    const expected = (p: { code: string; title: string; content: string }) => {
      const [ti, tf] = alone(p.title);
      const [ci, cf] = alone(p.content);
      return [p.code, p.title, p.content, ti, ci, tf, cf]
        .filter((x) => x !== '')
        .join(' ')
        .toLowerCase();
    };
    const phrases = [
      ...Object.values(TEAM_PHRASES).flat(),
      { code: 'cq', title: '发往重', content: '庆的快递' }, // 重庆 read as one word only if the seam joined them
      { code: '', title: '', content: '长发' },
      { code: 'x', title: '标题\u0001里有分隔符', content: '行' },
      { code: 'y', title: '银行', content: '' },
    ];
    for (const p of phrases) expect(phraseSearchKeys(p)).toBe(expected(p));
    expect(phraseSearchKeys({ code: 'cq', title: '发往重', content: '庆的快递' })).toContain('fwz ');
  });
});
