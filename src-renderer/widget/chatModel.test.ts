import { describe, expect, it } from 'vitest';
import type { WidgetMessage } from '../../shared/channels/widgetProtocol';
import { ChatModel, KEPT_KEY } from './chatModel';

const storage = () => {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), map };
};
const msg = (id: string, at: number, from: WidgetMessage['from'] = 'agent', clientId: string | null = null): WidgetMessage => ({
  id,
  from,
  kind: 'text',
  text: id,
  agentNick: from === 'agent' ? '小美' : null,
  at,
  clientId,
});

describe('the widget’s messages and outbox', () => {
  it('keeps each message once, in time order, and settles a pending message by its client id whichever way its copy comes', () => {
    const model = new ChatModel(storage());
    model.queue({ clientId: 'c1', kind: 'text', text: '在吗' }, 5);
    model.queue({ clientId: 'c2', kind: 'text', text: '急' }, 6);
    model.merge([msg('a2', 20), msg('a1', 10)]);
    model.merge([msg('a1', 10)]);
    expect(model.messages().map((m) => m.id)).toEqual(['a1', 'a2']);
    // c1's ack was lost; its copy comes in a reconnect's history.
    model.merge([msg('b1', 30, 'buyer', 'c1')]);
    // c2's copy comes pushed, then its ack too.
    model.merge([msg('b2', 31, 'buyer', 'c2')]);
    model.ack('c2', msg('b2', 31, 'buyer'));
    expect(model.pending).toEqual([]);
    expect(model.messages().map((m) => m.id)).toEqual(['a1', 'a2', 'b1', 'b2']);
    expect(model.newest()).toEqual({ id: 'b2', at: 31 });
  });

  it('keeps the token and the unsent text across a reload, pictures not; resends what may go again', () => {
    const kept = storage();
    const first = new ChatModel(kept);
    first.setToken('v1.x.y');
    first.queue({ clientId: 'c1', kind: 'text', text: '一' }, 1);
    first.queue({ clientId: 'c2', kind: 'image', text: '', file: new Blob(['x']) }, 2);
    first.queue({ clientId: 'c3', kind: 'text', text: '三' }, 3);
    first.refuse('c3', 'invalid_argument');
    expect(JSON.parse(kept.map.get(KEPT_KEY)!)).toMatchObject({ token: 'v1.x.y' });
    const again = new ChatModel(kept);
    expect(again.token).toBe('v1.x.y');
    expect(again.pending.map((p) => p.clientId)).toEqual(['c1', 'c3']);
    // After a reload everything kept is tried again; a throttled one is too, a refused one waits for the buyer.
    expect(again.toResend().map((p) => p.clientId)).toEqual(['c1', 'c3']);
    again.refuse('c1', 'limit_exceeded');
    again.refuse('c3', 'invalid_argument');
    expect(again.toResend().map((p) => p.clientId)).toEqual(['c1']);
  });

  it('starts afresh from unreadable storage, and works with none', () => {
    const broken = storage();
    broken.map.set(KEPT_KEY, '{not json');
    expect(new ChatModel(broken).pending).toEqual([]);
    const none = new ChatModel(null);
    none.queue({ clientId: 'c1', kind: 'text', text: 'x' }, 1);
    expect(none.pending).toHaveLength(1);
  });
});
