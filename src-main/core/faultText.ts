import type { Lang } from '../../shared/domain/lang';
import { translate } from '../../shared/i18n';
import type { StoreFaultKind } from '../store/faults';

/** The language for sentences printed by the CLI and the host: Chinese when the system's locale is Chinese. */
export function systemLang(env: NodeJS.ProcessEnv = process.env): Lang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh/i.test(locale) ? 'zh-CN' : 'en';
}

/** One sentence saying what is wrong with the data folder and what to do, for a terminal or a dialog (`fault.*`). */
export function faultSentence(kind: StoreFaultKind, where: string, lang: Lang = systemLang()): string {
  return translate(lang, `fault.${kind}`, { where });
}
