import { AppError } from '../../../shared/contract/errors';
import type { PickerPhrase, PhraseGroup } from '../../../shared/domain/types';
import type { Store } from '../../store';
import type { Clock } from '../conversations';

/** What the phrase picker needs from the core: the phrases it matches, and use counts. */
export function phrasePickerService(store: Store, now: Clock) {
  return {
    forPicker: (agentId: string): { groups: PhraseGroup[]; phrases: PickerPhrase[] } => store.phrases.forPicker(agentId),

    markUsed(phraseId: string): PickerPhrase {
      const phrase = store.tx(() => store.phrases.markUsed(phraseId, now()));
      if (!phrase) throw new AppError('not_found', `no phrase ${phraseId}`);
      return phrase;
    },
  };
}
