import type { StateCreator } from 'zustand';

/**
 * Replies the agent sent that the core has not confirmed yet. Each carries the id made here before
 * sending, so sending it again (retry, or after a reload) can never store it twice.
 */
export type Outgoing = {
  id: string;
  conversationId: string;
  text: string;
  /** Set when the reply is an order card. */
  orderId?: string;
  createdAt: number;
  status: 'pending' | 'failed';
  /** Why the last attempt failed, already in the agent's language. */
  error?: string;
};

export type OutgoingSlice = {
  outgoing: Record<string, Outgoing>;
  addOutgoing(entry: Outgoing): void;
  markOutgoing(id: string, status: Outgoing['status'], error?: string): void;
  /** The core stored it: it now shows as a real message. */
  confirmOutgoing(id: string): void;
};

export const createOutgoingSlice: StateCreator<OutgoingSlice, [], [], OutgoingSlice> = (set) => ({
  outgoing: {},
  addOutgoing: (entry) => set((state) => ({ outgoing: { ...state.outgoing, [entry.id]: entry } })),
  markOutgoing: (id, status, error) =>
    set((state) => {
      const entry = state.outgoing[id];
      if (!entry) return {};
      const next: Outgoing = { ...entry, status };
      if (error === undefined) delete next.error;
      else next.error = error;
      return { outgoing: { ...state.outgoing, [id]: next } };
    }),
  confirmOutgoing: (id) =>
    set((state) => {
      if (!state.outgoing[id]) return {};
      const outgoing = { ...state.outgoing };
      delete outgoing[id];
      return { outgoing };
    }),
});
