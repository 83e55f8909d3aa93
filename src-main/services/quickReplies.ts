import { AppError } from '../../shared/contract/errors';
import type { PickerPhrase, ReplyGroup } from '../../shared/domain/types';
import type { EventBus } from '../platform/eventBus';
import type { Store } from '../store';
import type { Clock } from './conversations';

/** What the quick-reply picker needs from the core: the phrases it matches, and use counts. */
export function quickReplyService(store: Store, events: EventBus, now: Clock) {
  return {
    forPicker: (agentId: string): { groups: ReplyGroup[]; phrases: PickerPhrase[] } => store.replies.forPicker(agentId),

    markUsed(phraseId: string): PickerPhrase {
      const phrase = store.tx(() => store.replies.markUsed(phraseId, now()));
      if (!phrase) throw new AppError('not_found', `no phrase ${phraseId}`);
      events.emit('sync.poked', { head: store.changes.head() });
      return phrase;
    },
  };
}
