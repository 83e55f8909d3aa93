import crypto from 'node:crypto';

/** What a redeemed ticket gives the host: the file to stream and the name to offer it under. */
export type DownloadFile = { path: string; fileName: string };

/** A ticket is good for this long after it was issued, and for one request. */
export const TICKET_TTL_MS = 60_000;
/** Tickets held at once; the oldest go first (a page asking in a loop cannot grow memory). */
const MAX_TICKETS = 64;

/**
 * One-time download tickets for browser mode. A link cannot carry the launch token's header, so the
 * page asks for a ticket over the token-guarded socket and the host's `GET /downloads/<ticket>`
 * trades it for the file, once, within a minute. 32 random bytes: not guessable, never reused.
 */
export function downloadTickets(now: () => number) {
  const tickets = new Map<string, DownloadFile & { expiresAt: number }>();
  return {
    issue(file: DownloadFile): { ticket: string; expiresAt: number } {
      const at = now();
      for (const [t, entry] of tickets) if (entry.expiresAt <= at) tickets.delete(t);
      while (tickets.size >= MAX_TICKETS) tickets.delete(tickets.keys().next().value as string);
      const ticket = crypto.randomBytes(32).toString('base64url');
      const expiresAt = at + TICKET_TTL_MS;
      tickets.set(ticket, { ...file, expiresAt });
      return { ticket, expiresAt };
    },
    /** The file, or null for a ticket that is unknown, already used or expired. */
    redeem(ticket: string): DownloadFile | null {
      const entry = tickets.get(ticket);
      if (!entry) return null;
      tickets.delete(ticket);
      return entry.expiresAt > now() ? { path: entry.path, fileName: entry.fileName } : null;
    },
  };
}
