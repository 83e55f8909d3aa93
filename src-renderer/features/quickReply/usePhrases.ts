import { useCallback, useEffect, useMemo, useState } from 'react';
import type { PickerPhrase, ReplyGroup } from '../../../shared/domain/types';
import { useClient, useConnection } from '../../ipc/ClientContext';
import { indexPhrases, type IndexedPhrase } from './matchPhrases';

/** The phrases the picker matches, indexed once when they arrive (not per keystroke), and use counting. */
export function usePhrases(): { index: IndexedPhrase[]; groups: ReplyGroup[]; markUsed: (id: string) => void } {
  const client = useClient();
  const { epoch } = useConnection();
  const [data, setData] = useState<{ groups: ReplyGroup[]; phrases: PickerPhrase[] }>({ groups: [], phrases: [] });

  useEffect(() => {
    let live = true;
    void client.call('replies.forPicker', {}).then((result) => {
      if (live && result.ok) setData(result.value);
    });
    return () => {
      live = false;
    };
  }, [client, epoch]);

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

  return { index, groups: data.groups, markUsed };
}
