import { AppError } from '../../../shared/contract/errors';
import type { PickerPhrase, PhraseGroup } from '../../../shared/domain/types';
import type { Store } from '../../store';
import type { Clock } from '../conversations';
import { shopTimeZone, ZonedClock } from '../logExport/timeZone';
import { localDay } from '../../../shared/domain/reports/clock';

/** What the phrase picker needs from the core: the phrases it matches, and use counts. */
export function phrasePickerService(store: Store, now: Clock) {
  let zone: ZonedClock | null = null;
  /** The shop-local day of an instant, in the shop's time zone as it is set now. */
  const dayOf = (at: number) => {
    const tz = shopTimeZone(store);
    if (zone?.timeZone !== tz) zone = new ZonedClock(tz);
    return localDay(at, zone);
  };
  return {
    forPicker: (agentId: string): { groups: PhraseGroup[]; phrases: PickerPhrase[] } => store.phrases.forPicker(agentId),

    markUsed(phraseId: string): PickerPhrase {
      const at = now();
      const phrase = store.tx(() => store.phrases.markUsed(phraseId, at, dayOf(at)));
      if (!phrase) throw new AppError('not_found', `no phrase ${phraseId}`);
      return phrase;
    },
  };
}
