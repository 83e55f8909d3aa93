import type { EventName, Events } from '../../shared/contract/events';

export type EventListener = <E extends EventName>(name: E, payload: Events[E]) => void;

/** The core's outgoing events; the worker forwards them to the shell, which forwards them to desks. */
export class EventBus {
  private listeners = new Set<EventListener>();

  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(name: E, payload: Events[E]): void {
    for (const l of this.listeners) l(name, payload);
  }
}
