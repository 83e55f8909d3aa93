import { renderHook, waitFor } from '@testing-library/react';
import Dexie, { type Table } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { setLiveQueryRenewalMs, useRenewedLiveQuery } from './renewedLiveQuery';

class Db extends Dexie {
  tags!: Table<{ id: string; name: string }, string>;
  messages!: Table<{ id: string; text: string }, string>;
  constructor() {
    super(`renewal-${Math.random()}`);
    this.version(1).stores({ tags: 'id', messages: 'id' });
  }
}

afterEach(() => setLiveQueryRenewalMs(60_000));

describe('a live query no write touches', () => {
  it('subscribes anew once it has not run for the renewal time, and its answer stays on screen meanwhile', async () => {
    setLiveQueryRenewalMs(150);
    const db = new Db();
    await db.tags.put({ id: 't1', name: '老客户' });
    let runs = 0;
    const seen: unknown[] = [];
    const { result, unmount } = renderHook(() => {
      const tags = useRenewedLiveQuery(() => {
        runs += 1;
        return db.tags.toArray();
      }, [db]);
      seen.push(tags);
      return tags;
    });
    await waitFor(() => expect(result.current).toEqual([{ id: 't1', name: '老客户' }]));
    const first = runs;
    // The day's writes go elsewhere: the tags' query has no reason of its own to run again.
    await db.messages.bulkPut(Array.from({ length: 500 }, (_, i) => ({ id: `m${i}`, text: `买家消息 ${i}` })));
    await waitFor(() => expect(runs).toBeGreaterThan(first + 1), { timeout: 5_000 });
    expect(result.current).toEqual([{ id: 't1', name: '老客户' }]);
    // Once the first answer was in, no render went back to "nothing yet" while it was renewed.
    expect(seen.slice(seen.findIndex((v) => v !== undefined)).every((v) => v !== undefined)).toBe(true);
    unmount();
    db.close();
    await db.delete();
  });
});
