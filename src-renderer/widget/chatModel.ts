import type { WidgetMessage } from '../../shared/channels/widgetProtocol';

/** What the buyer sent that the hub has not acknowledged yet. */
export type Pending = {
  clientId: string;
  kind: 'text' | 'order' | 'offline' | 'image';
  text: string;
  orderNo?: string;
  contact?: string;
  status: 'sending' | 'failed';
  /** The refusal's code (a throttle is tried again by itself; anything else waits for the buyer's retry). */
  error?: string;
  /** A picture's bytes while it waits (kept in this page only, never in storage). */
  file?: Blob;
  /** When it was queued (orders the pending after the stored messages). */
  at: number;
};

/** What the widget keeps in the buyer's browser between visits. */
export type Kept = { token: string | null; pending: Pending[] };

export const KEPT_KEY = 'jiedai.widget.v1';
/** Unsent messages kept across a reload, at most (a buyer offline for a long time does not fill the storage). */
export const MAX_PENDING = 50;

const byTime = (a: { at: number; id: string }, b: { at: number; id: string }) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The widget's messages and outbox, with no DOM: every message is kept once by its id; a pending
 * message leaves the outbox when the hub's copy arrives (by its client id: as an ack, in a push, or
 * in the history of a reconnect), so nothing shows twice; the outbox survives a reload (storage),
 * pictures excepted.
 */
export class ChatModel {
  private readonly byId = new Map<string, WidgetMessage>();
  pending: Pending[] = [];
  token: string | null = null;
  hasMore = false;
  ended = false;

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null) {
    this.restore(
      (() => {
        try {
          return storage?.getItem(KEPT_KEY) ?? null;
        } catch {
          return null;
        }
      })(),
    );
  }

  /** Takes what was kept (the storage's text); unreadable or absent: a fresh start. */
  restore(raw: string | null): void {
    if (!raw) return;
    try {
      const kept = JSON.parse(raw) as Partial<Kept>;
      this.token = typeof kept.token === 'string' ? kept.token : null;
      this.pending = Array.isArray(kept.pending)
        ? kept.pending
            .filter((p) => p && typeof p.clientId === 'string' && p.kind !== 'image')
            .map((p) => ({ ...p, status: 'sending' as const }))
        : [];
    } catch {
      // Unreadable: start afresh.
    }
  }

  private keep(): void {
    const kept: Kept = {
      token: this.token,
      pending: this.pending.filter((p) => p.kind !== 'image').map(({ file: _file, ...p }) => p),
    };
    try {
      this.storage?.setItem(KEPT_KEY, JSON.stringify(kept));
    } catch {
      // Storage full or refused (a private window): the chat goes on without it.
    }
  }

  setToken(token: string | null): void {
    this.token = token;
    this.keep();
  }

  /** Messages in time order. */
  messages(): WidgetMessage[] {
    return [...this.byId.values()].sort(byTime);
  }

  newest(): { id: string; at: number } | null {
    const all = this.messages();
    const last = all[all.length - 1];
    return last ? { id: last.id, at: last.at } : null;
  }

  oldest(): { id: string; at: number } | null {
    const first = this.messages()[0];
    return first ? { id: first.id, at: first.at } : null;
  }

  /** Messages from the hub (history, a push, an ack): each kept once; the outbox forgets what they settle. */
  merge(messages: WidgetMessage[]): void {
    for (const m of messages) {
      this.byId.set(m.id, m);
      if (m.from === 'agent') this.ended = false;
    }
    const settled = new Set(messages.map((m) => m.clientId).filter((c): c is string => c !== null));
    if (settled.size > 0) {
      this.pending = this.pending.filter((p) => !settled.has(p.clientId));
      this.keep();
    }
  }

  queue(p: Omit<Pending, 'status' | 'at'>, at: number): Pending | null {
    if (this.pending.length >= MAX_PENDING) return null;
    const item: Pending = { ...p, status: 'sending', at };
    this.pending.push(item);
    this.keep();
    return item;
  }

  ack(clientId: string, message: WidgetMessage): void {
    this.merge([{ ...message, clientId }]);
  }

  refuse(clientId: string, code: string): Pending | null {
    const p = this.pending.find((x) => x.clientId === clientId);
    if (!p) return null;
    p.status = 'failed';
    p.error = code;
    this.keep();
    return p;
  }

  retry(clientId: string): Pending | null {
    const p = this.pending.find((x) => x.clientId === clientId);
    if (!p) return null;
    p.status = 'sending';
    delete p.error;
    this.keep();
    return p;
  }

  /** What to send again on a new connection: everything still waiting but what was refused for good. */
  toResend(): Pending[] {
    return this.pending.filter((p) => p.status === 'sending' || p.error === 'limit_exceeded' || p.error === 'unavailable');
  }
}
