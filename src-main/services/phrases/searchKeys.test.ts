import { describe, expect, it } from 'vitest';
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
});
