import type { ContractError } from '../../shared/contract/errors';
import type { Lang } from '../../shared/domain/lang';
import type { Translate } from '../../shared/i18n';

// The dictionaries live in shared/i18n (one per language, drawn on by the core, the CLI and the shell
// too); this folder holds what only the renderer needs: the hook and the desk's time formats.
export { isLang, type Lang } from '../../shared/domain/lang';
export { translator, type MessageKey, type Translate } from '../../shared/i18n';

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
