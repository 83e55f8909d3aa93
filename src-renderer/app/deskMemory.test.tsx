import { act, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as Queries from '../db/queries';
import { resetDeskStore } from '../state/store';
import { smallShop } from '../test/testShop';
import { renderDesk } from '../test/renderDesk';

/**
 * Issue 18, desk-memory-200-shift: a desk open all day must not keep the conversation lists it has
 * shown. Every answer of the list's live query is watched (a WeakRef to a row it made: rows are new
 * objects on every answer, held by nothing but the desk); after a run of ends and buyer messages and a
 * full garbage collection, only the few the desk is showing may be left. The lists were kept through
 * the desk's memoized handlers (V8 closure contexts, hooks/useHandler.ts): one more for each end.
 */
const answers = vi.hoisted(() => ({ rows: [] as WeakRef<object>[] }));

vi.mock('../db/queries', async (importOriginal) => {
  const actual = await importOriginal<typeof Queries>();
  return {
    ...actual,
    conversationSummaries: async (...args: Parameters<typeof actual.conversationSummaries>) => {
      const rows = await actual.conversationSummaries(...args);
      if (rows?.[0]) answers.rows.push(new WeakRef(rows[0]));
      return rows;
    },
  };
});

/** A full collection (the renderer project runs with --expose-gc), twice, with turns between for WeakRefs to clear. */
async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('no gc(): the renderer test project runs with --expose-gc (vitest.config.ts)');
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
  }
  await new Promise((resolve) => setTimeout(resolve, 0));
}

const alive = () => answers.rows.filter((r) => r.deref() !== undefined).length;

beforeEach(() => {
  resetDeskStore();
  answers.rows.length = 0;
});

describe('the desk over a shift', () => {
  it('lets go of the conversation lists it showed: ten more ends leave as many alive as before them, a few', async () => {
    const core = smallShop();
    core.addConversations(16);
    const { user, container } = renderDesk(core.client());
    const list = await screen.findByRole('listbox', { name: '会话列表' });
    await user.click((await within(list).findAllByText('买家0'))[0]!);
    const openId = () => container.querySelector('.conversation-view')?.getAttribute('data-conversation-id') ?? null;
    let ends = 0;
    const endAndWrite = async (count: number) => {
      for (let k = 0; k < count; k++, ends++) {
        await waitFor(() => expect(openId()).not.toBeNull());
        const id = openId()!;
        await user.keyboard('{Alt>}e{/Alt}');
        // Gone from the list, and the next buyer open.
        await waitFor(() => expect(list.querySelector(`[data-conversation-id="${id}"]`)).toBeNull());
        await waitFor(() => expect(openId()).not.toBe(id));
        // A buyer elsewhere writes, as all day: the list answers again.
        act(() => void core.buyerWrites('c3', `还在吗 ${ends}`));
        await within(list).findByText(`还在吗 ${ends}`);
      }
    };
    await endAndWrite(5);
    await collectGarbage();
    const before = alive();
    const answered = answers.rows.length;
    await endAndWrite(10);
    expect(answers.rows.length - answered).toBeGreaterThanOrEqual(10);
    await collectGarbage();
    // The list on screen, the render before it (React keeps one), the first render's: not one more per end.
    expect(alive()).toBeLessThanOrEqual(before + 1);
    expect(alive()).toBeLessThanOrEqual(5);
  });
});
