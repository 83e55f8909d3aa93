import crypto from 'node:crypto';
import { AppError } from '../../../shared/contract/errors';
import type { DeadDelivery, WebhookEndpoint, WebhookEvent } from '../../../shared/contract/channels';
import { newId } from '../../../shared/domain/ids';
import type { Store } from '../../store';
import type { WebhookEndpointRow } from '../../store/channels';

/** Tries of a delivery in all, the first included; then it is dead (the owner can replay it). */
export const WEBHOOK_ATTEMPTS = 10;
/**
 * The wait after each failed try (9 waits for 10 tries): about a day in all, the first retries soon.
 * Each wait is jittered by ±20% so endpoints coming back from an outage are not hit in step.
 */
export const WEBHOOK_RETRY_MS = [30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 21_600_000, 28_800_000];
/** How long a claimed delivery is held before it is due again (a hub that stopped mid-send resends it). */
export const WEBHOOK_LEASE_MS = 60_000;
export const WEBHOOK_ENDPOINTS_MAX = 20;
/** Delivered deliveries are kept this long, dead ones for the owner to replay this long. */
const KEEP_DELIVERED_MS = 3 * 24 * 3_600_000;
const KEEP_DEAD_MS = 30 * 24 * 3_600_000;

/** A claimed delivery as the hub sends it. */
export type DueDelivery = { id: string; endpointId: string; url: string; secret: string; event: string; body: string; attempt: number };
/** What came of one try. `permanent`: no retry will help (the hub refused to send it). */
export type DeliveryOutcome = { ok: true; status: number } | { ok: false; status: number | null; error: string; permanent?: boolean };

export type WebhookOptions = {
  /** The waits between tries (tests shorten them); `WEBHOOK_RETRY_MS` by default. */
  retryMs?: readonly number[] | undefined;
  attempts?: number | undefined;
  /** Random source in [0, 1) for the jitter. */
  random?: () => number;
};

function toEndpoint(r: WebhookEndpointRow): WebhookEndpoint {
  return { id: r.id, url: r.url, events: JSON.parse(r.events) as WebhookEvent[], secret: r.secret, createdAt: r.created_at };
}

/**
 * Webhook endpoints and their durable outbox. An event is written into `webhook_deliveries` (one row
 * per subscribed endpoint, its JSON body fixed then) in the same transaction as what caused it, so
 * a restart loses nothing. The hub claims due rows, sends them, and settles each: delivered, or
 * retried after a jittered wait, or dead after the last try.
 */
export function webhookService(store: Store, now: () => number, options: WebhookOptions = {}) {
  const retryMs = options.retryMs ?? WEBHOOK_RETRY_MS;
  const attempts = options.attempts ?? WEBHOOK_ATTEMPTS;
  const random = options.random ?? Math.random;
  const q = store.channels;
  let lastPrune = 0;
  /** Deliveries were written since the hub was last told (it is told after the commit). */
  let written = false;

  function enqueueFor(endpoints: WebhookEndpointRow[], event: string, data: unknown, at: number): number {
    for (const e of endpoints) {
      const id = newId();
      const body = JSON.stringify({ id, event, createdAt: at, data });
      q.deliveries.enqueue({ id, endpoint_id: e.id, event, body, created_at: at, next_at: at });
      written = true;
    }
    return endpoints.length;
  }

  return {
    /** Whether deliveries were written since the last call (the feed reader tells the hub after each commit). */
    takeWritten(): boolean {
      const was = written;
      written = false;
      return was;
    },

    list(): WebhookEndpoint[] {
      return q.endpoints.list().map(toEndpoint);
    },

    add(args: { id: string; url: string; events: WebhookEvent[] }, createdBy: string): WebhookEndpoint {
      return store.tx(() => {
        const existing = q.endpoints.get(args.id);
        if (existing) {
          if (existing.url !== args.url) throw new AppError('conflict', `endpoint id ${args.id} is taken`);
          return toEndpoint(existing);
        }
        if (q.endpoints.count() >= WEBHOOK_ENDPOINTS_MAX)
          throw new AppError('limit_exceeded', `a shop has at most ${WEBHOOK_ENDPOINTS_MAX} webhook endpoints`);
        const row: WebhookEndpointRow = {
          id: args.id,
          url: args.url,
          secret: `whsec_${crypto.randomBytes(32).toString('base64url')}`,
          events: JSON.stringify([...new Set(args.events)]),
          created_by: createdBy,
          created_at: now(),
        };
        q.endpoints.insert(row);
        return toEndpoint(row);
      });
    },

    remove(endpointId: string): null {
      store.tx(() => {
        if (!q.endpoints.remove(endpointId)) throw new AppError('not_found', `no webhook endpoint ${endpointId}`);
      });
      return null;
    },

    /** A `ping` for one endpoint, through the outbox like every delivery. */
    test(endpointId: string): null {
      store.tx(() => {
        const endpoint = q.endpoints.get(endpointId);
        if (!endpoint) throw new AppError('not_found', `no webhook endpoint ${endpointId}`);
        enqueueFor([endpoint], 'ping', { endpointId }, now());
      });
      return null;
    },

    /** Writes an event's deliveries for every endpoint that asked for it (call inside the causing transaction). */
    enqueue(event: WebhookEvent, data: unknown, at = now()): number {
      const endpoints = q.endpoints.list().filter((e) => (JSON.parse(e.events) as string[]).includes(event));
      return endpoints.length === 0 ? 0 : enqueueFor(endpoints, event, data, at);
    },

    /**
     * The endpoints read once for many events written in one go (a page of the feed, where nothing
     * changes them): `wants` says whether any endpoint asked for the event, so its payload (the reads
     * it takes) is built only then; `enqueue` as above, the payload made on demand.
     */
    batch() {
      let endpoints: { row: WebhookEndpointRow; events: string[] }[] | null = null;
      const to = (event: WebhookEvent) => {
        endpoints ??= q.endpoints.list().map((row) => ({ row, events: JSON.parse(row.events) as string[] }));
        return endpoints.filter((e) => e.events.includes(event)).map((e) => e.row);
      };
      return {
        wants: (event: WebhookEvent) => to(event).length > 0,
        enqueue(event: WebhookEvent, data: () => unknown, at = now()): number {
          const endpoints = to(event);
          return endpoints.length === 0 ? 0 : enqueueFor(endpoints, event, data(), at);
        },
      };
    },

    /** Due deliveries, held for `WEBHOOK_LEASE_MS` while the hub sends them. */
    claim(limit: number): DueDelivery[] {
      const at = now();
      return store.tx(() => {
        if (at - lastPrune > 3_600_000) {
          lastPrune = at;
          q.deliveries.prune(at - KEEP_DELIVERED_MS, at - KEEP_DEAD_MS);
        }
        return q.deliveries.claim(at, at + WEBHOOK_LEASE_MS, limit).map((r) => ({
          id: r.id,
          endpointId: r.endpoint_id,
          url: r.url,
          secret: r.secret,
          event: r.event,
          body: r.body,
          attempt: r.attempts + 1,
        }));
      });
    },

    /** Records a try's outcome; returns when the delivery is next due (null: delivered or dead). */
    settle(id: string, outcome: DeliveryOutcome): number | null {
      const at = now();
      return store.tx(() => {
        const row = q.deliveries.get(id);
        if (!row || row.delivered_at !== null || row.dead_at !== null) return null;
        if (outcome.ok) {
          q.deliveries.delivered(id, outcome.status, at);
          return null;
        }
        const tried = row.attempts + 1;
        const error = outcome.error.slice(0, 500);
        if (outcome.permanent || tried >= attempts) {
          q.deliveries.failed(id, outcome.status, error, { deadAt: at });
          return null;
        }
        const wait = retryMs[Math.min(tried - 1, retryMs.length - 1)]! * (0.8 + 0.4 * random());
        const nextAt = at + Math.round(wait);
        q.deliveries.failed(id, outcome.status, error, { nextAt });
        return nextAt;
      });
    },

    /** When the next pending delivery is due, or null. */
    nextDue(): number | null {
      return q.deliveries.nextDue();
    },

    deadLetters(): DeadDelivery[] {
      return q.deliveries.dead(200).map((r) => ({
        id: r.id,
        endpointId: r.endpoint_id,
        url: r.url,
        event: r.event,
        attempts: r.attempts,
        lastStatus: r.last_status,
        lastError: r.last_error,
        createdAt: r.created_at,
        deadAt: r.dead_at!,
      }));
    },

    retry(deliveryId: string): null {
      store.tx(() => {
        if (!q.deliveries.revive(deliveryId, now())) throw new AppError('not_found', `no dead delivery ${deliveryId}`);
        written = true;
      });
      return null;
    },
  };
}

export type WebhookService = ReturnType<typeof webhookService>;
