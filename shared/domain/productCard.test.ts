import { describe, expect, it } from 'vitest';
import { methods } from '../contract/methods';
import { parseProductCard, productCardText, safeProductUrl } from './productCard';

const send = methods['messages.send'].args;
const base = { id: 'm-1', conversationId: 'conv-1', text: '商品' };

describe('a product card', () => {
  it('is its lines, and reads back into the same fields', () => {
    const card = { title: '小白鞋 女款 百搭', sku: '颜色:白;尺码:37', priceCents: 12_900, url: 'https://shop.example/item?id=7' };
    const text = productCardText(card);
    expect(text).toBe('小白鞋 女款 百搭\n颜色:白;尺码:37\n¥129.00\nhttps://shop.example/item?id=7');
    expect(parseProductCard(text)).toEqual(card);
    expect(parseProductCard(productCardText({ title: '帆布包', priceCents: 5 }))).toEqual({
      title: '帆布包',
      sku: null,
      priceCents: 5,
      url: null,
    });
    expect(parseProductCard('只有标题')).toEqual({ title: '只有标题', sku: null, priceCents: null, url: null });
    // Text that is not a card's stays text.
    expect(parseProductCard('一\n二\n三')).toBeNull();
    expect(parseProductCard('标题\njavascript:alert(1)')?.url).toBeNull(); // a line of text, never a link
    expect(parseProductCard('标题\nhttps://user:pw@evil.example/')).toBeNull();
  });

  it('takes http and https links only, without credentials, bounded', () => {
    expect(safeProductUrl('https://item.taobao.com/item.htm?id=1')).toBe('https://item.taobao.com/item.htm?id=1');
    expect(safeProductUrl(' http://shop.example ')).toBe('http://shop.example/');
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,<b>x</b>',
      'file:///etc/passwd',
      'ftp://x.example/',
      'https://a b.example/',
      '//x.example',
      'https://u:p@x.example/',
    ]) {
      expect(safeProductUrl(bad)).toBeNull();
    }
    expect(safeProductUrl(`https://x.example/${'a'.repeat(1000)}`)).toBeNull();
  });

  it('crosses the contract checked: a bad link, a title of two lines or one that reads as a price is refused', () => {
    const ok = send.safeParse({ ...base, product: { title: ' 连衣裙 ', priceCents: 19_900, url: 'https://shop.example/d' } });
    expect(ok.success).toBe(true);
    expect(ok.data?.product).toEqual({ title: '连衣裙', sku: null, priceCents: 19_900, url: 'https://shop.example/d' });
    const refused = [
      { title: '裙', url: 'javascript:alert(1)' },
      { title: '裙', url: 'https://x.example/' + 'a'.repeat(1000) },
      { title: '第一行\n第二行' },
      { title: '¥1.00' },
      { title: 'https://x.example/' },
      { title: '' },
      { title: '长'.repeat(121) },
      { title: '裙', sku: '' },
      { title: '裙', priceCents: -1 },
      { title: '裙', priceCents: 1.5 },
      { title: '裙', priceCents: 100_000_001 },
      { title: '裙', extra: 1 },
    ];
    for (const product of refused) expect(send.safeParse({ ...base, product }).success, JSON.stringify(product)).toBe(false);
    // One card or picture per message.
    expect(send.safeParse({ ...base, orderId: 'o-1', product: { title: '裙' } }).success).toBe(false);
  });
});
