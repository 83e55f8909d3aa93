import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RedLineList } from '../../../shared/contract/redLines';
import { compileRedLines, type RedLineMatcher } from '../../../shared/domain/redLines/matcher';
import { useClient, useConnection, useCoreEvent } from '../../ipc/ClientContext';

const EMPTY: RedLineMatcher = compileRedLines([]);

/**
 * The shop's red-line list, read from the core and read again when it changes (or the connection
 * comes back), with its matcher compiled once per list: the composer runs it on every keystroke.
 * Until the list has arrived nothing is marked (the core still checks phrases itself).
 */
export function useRedLines(): { list: RedLineList | null; matcher: RedLineMatcher; reload: () => void } {
  const client = useClient();
  const { epoch } = useConnection();
  const [list, setList] = useState<RedLineList | null>(null);
  const reload = useCallback(() => {
    void client.call('redLines.list', {}).then((r) => {
      if (r.ok) setList(r.value);
    });
  }, [client]);
  useEffect(reload, [reload, epoch]);
  useCoreEvent('redLines.changed', reload);
  const matcher = useMemo(() => (list ? compileRedLines(list.words, list.exceptions) : EMPTY), [list]);
  return { list, matcher, reload };
}
