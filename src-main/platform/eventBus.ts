import type { EventName, Events } from '../../shared/contract/events';

export type EventListener = <E extends EventName>(name: E, payload: Events[E]) => void;

/** The core's outgoing events; the worker forwards them to the shell, which forwards them to desks. */
export class EventBus {
  private listeners = new Set<EventListener>();
  /** Events emitted inside `hold`, waiting for it to finish. */
  private held: { name: EventName; payload: unknown }[][] = [];

  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(name: E, payload: Events[E]): void {
    const buffer = this.held[this.held.length - 1];
    if (buffer) {
      buffer.push({ name, payload });
      return;
    }
    for (const l of this.listeners) l(name, payload);
  }

  /**
   * Runs `fn` with its events held back: sent when it returns, dropped when it throws. A mutation
   * runs services inside one outer transaction; their announcements must not leave before it commits.
   */
  hold<T>(fn: () => T): T {
    this.held.push([]);
    let done = false;
    try {
      const result = fn();
      done = true;
      return result;
    } finally {
      const buffer = this.held.pop() ?? [];
      if (done) for (const e of buffer) this.emit(e.name, e.payload as never);
    }
  }

  /** Runs `fn` with its events dropped, whatever it does (a rebase replaying actions already announced). */
  discard<T>(fn: () => T): T {
    this.held.push([]);
    try {
      return fn();
    } finally {
      this.held.pop();
    }
  }
}
