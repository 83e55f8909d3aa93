import { WORDS, type WidgetWordKey } from './words';

export type WidgetLang = keyof typeof WORDS;

/** The buyer's language: `?lang=` when the shop's page asks for one, else the browser's (English or Chinese, Chinese by default). */
export function widgetLang(query: string, browser: readonly string[]): WidgetLang {
  const asked = new URLSearchParams(query).get('lang');
  const wanted = asked ?? browser[0] ?? '';
  return /^en\b/i.test(wanted) ? 'en' : 'zh-CN';
}

/** The sentence for a key, its `{name}` placeholders filled as plain text. */
export function wordsIn(lang: WidgetLang) {
  return (key: WidgetWordKey, vars?: Record<string, string | number>): string => {
    const template = WORDS[lang][key];
    return vars
      ? template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole))
      : template;
  };
}
