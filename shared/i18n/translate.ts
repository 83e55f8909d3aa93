import type { Lang } from '../domain/lang';
import { en } from './en';
import { zhCN, type MessageKey } from './zh-CN';

export type { MessageKey };
/** Values for a sentence's `{name}` placeholders. */
export type Vars = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

const DICTIONARIES: Record<Lang, Readonly<Record<MessageKey, string>>> = { 'zh-CN': zhCN, en };

const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * The sentence for `key` in `lang`, its `{name}` placeholders filled. Values go in as plain text and
 * are never read for placeholders again (a buyer's nick holding `{n}` stays as typed); a placeholder
 * without a value stays as written, so a missing value shows instead of vanishing.
 */
export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const template = DICTIONARIES[lang][key];
  if (!vars) return template;
  return template.replace(PLACEHOLDER, (whole, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole));
}

/** `translate` bound to one language. */
export function translator(lang: Lang): Translate {
  return (key, vars) => translate(lang, key, vars);
}

/** The `{name}` placeholders of a sentence (ASCII names; `{买家昵称}` is a phrase variable, not one of them). */
export function placeholders(sentence: string): string[] {
  return [...sentence.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** A count as zh-CN writes it (1,234,567); English uses the same grouping. */
export function formatCount(n: number): string {
  return n.toLocaleString('zh-CN');
}
