import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RedLineList } from '../../../shared/contract/redLines';
import { compileRedLines, type RedLineMatcher } from '../../../shared/domain/redLines/matcher';
import { useReplicaRedLines } from '../../db';
import { useClient, useConnection } from '../../ipc/ClientContext';

const EMPTY: RedLineMatcher = compileRedLines([]);

/**
 * The shop's red-line matcher, over the list the replica holds (a supervisor's change reaches every
 * desk through the change feed), compiled once per version of the list: the composer runs it on
 * every keystroke. Until the replica has the list nothing is marked (the core still checks phrases).
 */
export function useRedLineMatcher(): RedLineMatcher {
  const list = useReplicaRedLines();
  return useMemo(() => (list ? compileRedLines(list.words, list.exceptions) : EMPTY), [list]);
}

/**
 * The list with its catch counts, for the supervisor's screen: read from the core (counts are not
 * replica data), again when the connection comes back and whenever the replica's list changes.
 */
export function useRedLines(): { list: RedLineList | null; reload: () => void } {
  const client = useClient();
  const { epoch } = useConnection();
  const replicated = useReplicaRedLines();
  const [list, setList] = useState<RedLineList | null>(null);
  const reload = useCallback(() => {
    void client.call('redLines.list', {}).then((r) => {
      if (r.ok) setList(r.value);
    });
  }, [client]);
  useEffect(reload, [reload, epoch, replicated]);
  return { list, reload };
}
