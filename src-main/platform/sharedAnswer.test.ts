import { describe, expect, it } from 'vitest';
import { markShared, sharedJson, sharedReceiver, sharedSender } from './sharedAnswer';

describe('shared answers across a worker', () => {
  it('sends a marked value’s JSON once, then its key; the receiver hands out one object that carries the same JSON', () => {
    const send = sharedSender(2);
    const receive = sharedReceiver(2);
    const page = markShared({ kind: 'changes', changes: [{ seq: 1, text: '在吗' }] });
    expect(send({ not: 'marked' })).toBeUndefined();
    const first = send(page)!;
    const second = send(page)!;
    expect(first.json).toBe(JSON.stringify(page));
    expect(second).toEqual({ key: first.key });
    const a = receive(first);
    const b = receive(second);
    expect(a).toBe(b);
    expect(a).toEqual(page);
    expect(sharedJson(a)).toBe(first.json);
  });

  it('stays in step when both ends forget their oldest: a forgotten value is sent whole again', () => {
    const send = sharedSender(2);
    const receive = sharedReceiver(2);
    const pages = [1, 2, 3].map((n) => markShared({ head: n }));
    const wire = [pages[0], pages[1], pages[0], pages[2], pages[0], pages[1]].map((p) => send(p)!);
    // page 0 is known at its second use, forgotten once page 2 came (two kept), so sent whole again.
    expect(wire.map((w) => w.json !== undefined)).toEqual([true, true, false, true, true, true]);
    expect(wire.map((w) => receive(w))).toEqual([pages[0], pages[1], pages[0], pages[2], pages[0], pages[1]]);
    expect(() => receive({ key: 999 })).toThrow(/not known/);
  });
});
