import { useMemo } from 'react';
import { useDeskStore } from '../state/store';
import { translator, type Lang, type Translate } from './index';

/** The translate function for the agent's language. */
export function useT(): { t: Translate; lang: Lang } {
  const lang = useDeskStore((s) => s.lang);
  const t = useMemo(() => translator(lang), [lang]);
  return { t, lang };
}
