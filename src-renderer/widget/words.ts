import { en } from '../../shared/i18n/en';
import { zhCN, type MessageKey } from '../../shared/i18n/zh-CN';

/** The widget's own words (`widget.*`), in both languages, taken from the one dictionary per language. */
export type WidgetWordKey = Extract<MessageKey, `widget.${string}`>;
export type WidgetWords = Record<WidgetWordKey, string>;

const pick = (dictionary: Readonly<Record<MessageKey, string>>): WidgetWords =>
  Object.fromEntries(Object.entries(dictionary).filter(([key]) => key.startsWith('widget.'))) as WidgetWords;

/**
 * The build (scripts/build-widget.mjs) replaces this module with its value, so the buyer's page
 * carries the widget's few sentences and not the desk's whole dictionaries.
 */
export const WORDS: { 'zh-CN': WidgetWords; en: WidgetWords } = { 'zh-CN': pick(zhCN), en: pick(en) };
