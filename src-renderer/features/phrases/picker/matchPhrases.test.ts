import { describe, expect, it } from 'vitest';
import type { PickerPhrase } from '../../../../shared/domain/types';
import { indexPhrases, matchPhrases } from './matchPhrases';
import { fillVariables, firstUnfilled } from './variables';

let n = 0;
function phrase(p: Partial<PickerPhrase> & { content: string; searchKeys: string }): PickerPhrase {
  n += 1;
  return { id: `p${n}`, scope: 'team', groupId: 'g1', code: '', title: '', useCount: 0, lastUsedAt: null, sort: n, ...p };
}

const shipping = phrase({
  code: 'fh',
  title: '发货时间',
  content: '亲，48小时内发货哦',
  searchKeys: 'fh 发货时间 亲，48小时内发货哦 fhsj q48xsnfho fahuoshijian qin48xiaoshineifahuoo',
});
const size = phrase({
  code: 'cm',
  title: '尺码推荐',
  content: '亲，身高体重发我帮您推荐尺码',
  searchKeys: 'cm 尺码推荐 亲，身高体重发我帮您推荐尺码 cmtj qsgtzfwbntjcm chimatuijian qinshengaotizhongfawobangnintuijianchima',
});
const refund = phrase({
  code: 'tk',
  title: '退款',
  content: '退款已处理，预计1-3天到账',
  searchKeys: 'tk 退款 退款已处理，预计1-3天到账 tk tkyclyj13tdz tuikuan tuikuanyichuliyuji13tiandaozhang',
});
const codeContains = phrase({
  code: 'xfh',
  title: '续费',
  content: '续费说明',
  searchKeys: 'xfh 续费 续费说明 xf xfsm xufei xufeishuoming',
});
const personal = phrase({
  scope: 'personal',
  code: 'wo',
  title: '我的',
  content: '我是您的专属客服',
  searchKeys: 'wo 我的 我是您的专属客服 wd wsndzskf wode',
});
const index = indexPhrases([refund, size, codeContains, shipping, personal]);

describe('matching quick phrases', () => {
  it('puts a shortcut-code prefix first, then code contains, then the rest', () => {
    expect(matchPhrases(index, 'fh').map((p) => p.id)).toEqual([shipping.id, codeContains.id]);
  });

  it('puts the phrase whose code is exactly the query first, however much more a longer code is used', () => {
    const exact = phrase({
      code: 'wl',
      title: '物流',
      content: '亲，物流信息请看订单详情',
      searchKeys: 'wl 物流 亲，物流信息请看订单详情 wl wuliu',
    });
    const longer = phrase({
      code: 'wlcx',
      title: '物流查询',
      content: '帮您查一下物流',
      searchKeys: 'wlcx 物流查询 帮您查一下物流 wlcx wuliuchaxun',
      useCount: 500,
      lastUsedAt: Date.now(),
    });
    const titled = phrase({
      code: 'zz',
      title: 'wl 专用',
      content: '…',
      searchKeys: 'zz wl 专用 …',
      useCount: 900,
      lastUsedAt: Date.now(),
    });
    const picks = matchPhrases(indexPhrases([longer, titled, exact]), 'WL').map((p) => p.code);
    expect(picks).toEqual(['wl', 'wlcx', 'zz']);
    // and only the exact code, not a prefix of it, takes the first place
    expect(matchPhrases(indexPhrases([longer, exact]), 'w')[0]!.code).toBe('wlcx');
  });

  it('finds 发货 by pinyin initials and by full pinyin, and by the Chinese words', () => {
    expect(matchPhrases(index, 'fahuo').map((p) => p.id)).toEqual([shipping.id]);
    expect(matchPhrases(index, 'cmtj').map((p) => p.id)).toEqual([size.id]);
    expect(matchPhrases(index, '尺码').map((p) => p.id)).toEqual([size.id]);
    expect(matchPhrases(index, '到账').map((p) => p.id)).toEqual([refund.id]);
  });

  it('ranks a often and recently used phrase higher among equal matches', () => {
    const a = phrase({ title: '包邮a', content: '包邮', searchKeys: '包邮a 包邮 by baoyou' });
    const b = phrase({
      title: '包邮b',
      content: '包邮',
      searchKeys: '包邮b 包邮 by baoyou',
      useCount: 30,
      lastUsedAt: Date.now() - 3_600_000,
    });
    expect(matchPhrases(indexPhrases([a, b]), '包邮').map((p) => p.title)).toEqual(['包邮b', '包邮a']);
  });

  it('keeps to the team or personal tab', () => {
    expect(matchPhrases(index, '', { scope: 'personal' }).map((p) => p.id)).toEqual([personal.id]);
    expect(matchPhrases(index, '专属', { scope: 'team' })).toEqual([]);
    expect(matchPhrases(index, '专属').map((p) => p.id)).toEqual([personal.id]);
  });
});

describe('phrase variables', () => {
  it('fills what the conversation knows and leaves the rest visible', () => {
    const { text, missing } = fillVariables('{买家昵称}您好，订单{订单号}已由{物流公司}发出，单号{物流单号}', {
      买家昵称: '橙子不酸',
      订单号: '4701789617859361180',
      物流公司: '顺丰速运',
      物流单号: null,
    });
    expect(text).toBe('橙子不酸您好，订单4701789617859361180已由顺丰速运发出，单号{物流单号}');
    expect(missing).toEqual(['物流单号']);
    expect(firstUnfilled(text)).toEqual({ start: text.indexOf('{物流单号}'), end: text.length });
  });

  it('does not treat a filled value as a variable again', () => {
    expect(fillVariables('{买家昵称}', { 买家昵称: '{订单号}' }).text).toBe('{订单号}');
  });
});

describe('matching many phrases', () => {
  it('returns the same best 50 as a full sort would, when a tier holds thousands', () => {
    const many: PickerPhrase[] = Array.from({ length: 3000 }, (_, i) =>
      phrase({ title: `发货${i}`, content: '发货', searchKeys: `发货${i} 发货 fh fahuo`, useCount: (i * 7919) % 101 }),
    );
    const got = matchPhrases(indexPhrases(many), '发货', { now: 0 });
    const expected = [...many].sort((a, b) => b.useCount - a.useCount || a.sort - b.sort).slice(0, 50);
    expect(got.map((p) => p.id)).toEqual(expected.map((p) => p.id));
  });
});
