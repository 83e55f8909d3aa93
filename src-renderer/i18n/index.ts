import type { ContractError } from '../../shared/contract/errors';
import { en } from './en';
import { zhCN, type MessageKey } from './zh-CN';
import type { Lang } from '../../shared/domain/lang';

export { isLang, type Lang } from '../../shared/domain/lang';
export type { MessageKey };
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

const dictionaries: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

/** Fills `{name}` placeholders. Values are inserted as plain text (React renders them as text). */
export function translator(lang: Lang): Translate {
  const dictionary = dictionaries[lang];
  return (key, vars) => {
    const template = dictionary[key];
    if (!vars) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
  };
}

/** A sentence for a failed contract call, in the user's language. */
export function errorText(t: Translate, error: ContractError): string {
  return t(`error.${error.code}`, { message: error.message });
}

/** "3 分钟" / "45 秒": how long someone has waited. */
export function formatDuration(t: Translate, ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return t('time.seconds', { n: seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t('time.minutes', { n: minutes });
  return t('time.hours', { n: Math.floor(minutes / 60) });
}

export function formatClock(lang: Lang, at: number): string {
  return new Date(at).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', hour12: false });
}

export function formatDay(t: Translate, lang: Lang, at: number, now: number): string {
  const day = (ms: number) => new Date(ms).toDateString();
  if (day(at) === day(now)) return t('time.today');
  if (day(at) === day(now - 86_400_000)) return t('time.yesterday');
  return new Date(at).toLocaleDateString(lang, { year: 'numeric', month: 'long', day: 'numeric' });
}
