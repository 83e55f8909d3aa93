import { describe, expect, it } from 'vitest';
import { en } from './en';
import { formatCount, placeholders, translate } from './translate';
import { zhCN, type MessageKey } from './zh-CN';

const keys = Object.keys(zhCN) as MessageKey[];

describe('the two dictionaries', () => {
  it('have exactly the same keys', () => {
    expect(Object.keys(en).sort()).toEqual([...keys].sort());
  });

  it('hold no empty or blank sentence', () => {
    const blank = [
      ...keys.filter((k) => zhCN[k].trim() === '').map((k) => `zh-CN ${k}`),
      ...keys.filter((k) => en[k].trim() === '').map((k) => `en ${k}`),
    ];
    expect(blank).toEqual([]);
  });

  it('give every placeholder of a Chinese sentence to its English one too', () => {
    const missing = keys.flatMap((k) =>
      placeholders(zhCN[k])
        .filter((name) => !placeholders(en[k]).includes(name))
        .map((name) => `${k}: {${name}}`),
    );
    expect(missing).toEqual([]);
  });

  it('ask for no placeholder in English that the Chinese sentence does not have', () => {
    const extra = keys.flatMap((k) =>
      placeholders(en[k])
        .filter((name) => !placeholders(zhCN[k]).includes(name))
        .map((name) => `${k}: {${name}}`),
    );
    expect(extra).toEqual([]);
  });
});

describe('translate', () => {
  it('fills placeholders in the chosen language', () => {
    expect(translate('zh-CN', 'list.unread', { count: 3 })).toBe('3 条未读');
    expect(translate('en', 'list.unread', { count: 3 })).toBe('3 unread');
  });

  it('inserts values as text, never reading them for placeholders again', () => {
    expect(translate('zh-CN', 'header.agent', { nick: '{nick} $& $1' })).toBe('客服：{nick} $& $1');
  });

  it('leaves a placeholder without a value as written, and phrase variables alone', () => {
    expect(translate('en', 'order.label', {})).toBe('Order {no}');
    expect(translate('zh-CN', 'library.variablesHint', { 买家昵称: 'x' })).toContain('{买家昵称}');
  });

  it('does not take a placeholder value from the object prototype', () => {
    expect(translate('en', 'order.label', Object.create({ no: 'inherited' }) as Record<string, string>)).toBe('Order {no}');
  });

  it('writes counts with zh-CN grouping', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});
