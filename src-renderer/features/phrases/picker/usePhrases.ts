import { useCallback, useMemo } from 'react';
import type { PickerPhrase, PhraseGroup } from '../../../../shared/domain/types';
import { useMutate, useReplicaPhrases } from '../../../db';
import { indexPhrases, type IndexedPhrase } from './matchPhrases';

const EMPTY: { groups: PhraseGroup[]; phrases: PickerPhrase[] } = { groups: [], phrases: [] };

/** The phrases the picker matches (from the replica), indexed once when they change (not per keystroke), and use counting. */
export function usePhrases(): { index: IndexedPhrase[]; groups: PhraseGroup[]; phrases: PickerPhrase[]; markUsed: (id: string) => void } {
  const data = useReplicaPhrases() ?? EMPTY;
  const mutate = useMutate();
  const index = useMemo(() => indexPhrases(data.phrases), [data.phrases]);
  const markUsed = useCallback((phraseId: string) => void mutate('phrases.markUsed', { phraseId }), [mutate]);
  return { index, groups: data.groups, phrases: data.phrases, markUsed };
}
