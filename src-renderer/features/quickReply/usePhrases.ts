import { useCallback, useEffect, useMemo, useState } from 'react';
import type { PickerPhrase, ReplyGroup } from '../../../shared/domain/types';
import { useClient, useConnection, useCoreEvent } from '../../ipc/ClientContext';
import { indexPhrases, type IndexedPhrase } from './matchPhrases';

/** The phrases the picker matches, indexed once when they arrive (not per keystroke), and use counting. */
export function usePhrases(): { index: IndexedPhrase[]; groups: ReplyGroup[]; phrases: PickerPhrase[]; markUsed: (id: string) => void } {
  const client = useClient();
  const { epoch } = useConnection();
  const [data, setData] = useState<{ groups: ReplyGroup[]; phrases: PickerPhrase[] }>({ groups: [], phrases: [] });
  const [version, setVersion] = useState(0);
  // The library changed (an edit, an import): read it again, no restart needed.
  useCoreEvent('replies.changed', () => setVersion((v) => v + 1));

  useEffect(() => {
    let live = true;
    void client.call('replies.forPicker', {}).then((result) => {
      if (live && result.ok) setData(result.value);
    });
    return () => {
      live = false;
    };
  }, [client, epoch, version]);

  const index = useMemo(() => indexPhrases(data.phrases), [data.phrases]);

  const markUsed = useCallback(
    (replyId: string) => {
      void client.call('replies.markUsed', { replyId }).then((result) => {
        if (!result.ok) return;
        const used = result.value;
        setData((prev) => ({ ...prev, phrases: prev.phrases.map((p) => (p.id === used.id ? used : p)) }));
      });
    },
    [client],
  );

  return { index, groups: data.groups, phrases: data.phrases, markUsed };
}
