import type { Result } from '../../shared/contract/errors';
import type { DeliveryOutcome, DueDelivery } from '../core/channelSeam';
import { signatureHeader } from './webhookSignature';

export type WebhookSenderOptions = {
  /** The core's channel seam (Core.channel / CoreClient.channel). */
  channel: (op: string, args: unknown) => Promise<Result<unknown>>;
  /** Deliveries in flight at once. */
  concurrency?: number;
  /** A receiver that has not answered by then has failed this try. */
  timeoutMs?: number;
  /** The longest sleep between looks at the outbox (a delivery due later is also woken for). */
  idleMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
  log: (message: string, error?: unknown) => void;
};

export type WebhookSender = { wake(): void; close(graceMs?: number): Promise<void> };

/** Only what an endpoint answers in time with a 2xx counts as delivered. */
async function deliver(
  d: DueDelivery,
  options: Required<Pick<WebhookSenderOptions, 'timeoutMs' | 'now'>> & { fetch: typeof fetch },
  signal: AbortSignal,
): Promise<DeliveryOutcome | null> {
  let url: URL;
  try {
    url = new URL(d.url);
  } catch {
    return { ok: false, status: null, error: 'the endpoint address is not a URL', permanent: true };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, status: null, error: 'only http(s) endpoints', permanent: true };
  const t = Math.floor(options.now() / 1000);
  try {
    const response = await options.fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Jiedai-Webhooks/1',
        'x-jiedai-event': d.event,
        'x-jiedai-delivery': d.id,
        'x-jiedai-attempt': String(d.attempt),
        'x-jiedai-signature': signatureHeader(d.secret, t, d.body),
      },
      body: d.body,
      // A redirect is not followed (it could point anywhere): it is a failed try.
      redirect: 'manual',
      signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]),
    });
    // The answer's body is not read: only its status counts.
    await response.body?.cancel().catch(() => {});
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    return { ok: false, status: response.status, error: `the endpoint answered ${response.status}` };
  } catch (error) {
    if (signal.aborted) return null;
    const name = (error as Error).name;
    return {
      ok: false,
      status: null,
      error:
        name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : `could not reach the endpoint (${(error as Error).message})`,
    };
  }
}

/**
 * Sends webhook deliveries from the core's durable outbox: claims due rows (the core holds each for
 * a lease, so a hub that stops mid-send sends it again after a restart), POSTs each signed body,
 * and settles it (delivered, retried later with back-off, or dead after the last try). Woken when
 * the core writes deliveries and by a timer for the next one due; at most `concurrency` in flight.
 */
export function startWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const concurrency = options.concurrency ?? 8;
  const idleMs = options.idleMs ?? 30_000;
  const io = { timeoutMs: options.timeoutMs ?? 10_000, now: options.now ?? Date.now, fetch: options.fetch ?? fetch };
  const stop = new AbortController();
  const inFlight = new Set<Promise<void>>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let looking = false;
  let again = false;
  let closed = false;

  const sleep = (ms: number) => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void look(), Math.max(20, Math.min(ms, idleMs)));
    timer.unref?.();
  };

  async function look(): Promise<void> {
    if (closed) return;
    if (looking) {
      again = true;
      return;
    }
    looking = true;
    try {
      do {
        again = false;
        const room = concurrency - inFlight.size;
        if (room <= 0) return;
        const claimed = await options.channel('webhooks.claim', { limit: room });
        if (!claimed.ok) {
          options.log(`webhooks: cannot read the outbox (${claimed.error.message})`);
          sleep(5_000);
          return;
        }
        const due = claimed.value as DueDelivery[];
        for (const d of due) {
          const job = deliver(d, io, stop.signal)
            .then(async (outcome) => {
              // Cut short by the hub stopping: not a try; its lease runs out and it goes again after the restart.
              if (outcome === null) return;
              const settled = await options.channel('webhooks.settle', { id: d.id, outcome });
              if (!settled.ok) options.log(`webhooks: cannot settle delivery ${d.id} (${settled.error.message})`);
            })
            .finally(() => {
              inFlight.delete(job);
              void look();
            });
          inFlight.add(job);
        }
        if (due.length === room) again = true;
      } while (again && !closed);
      const next = await options.channel('webhooks.nextDue', {});
      if (next.ok && typeof next.value === 'number') sleep(next.value - io.now());
      else sleep(idleMs);
    } finally {
      looking = false;
      if (again && !closed) void look();
    }
  }

  void look();
  return {
    wake: () => void look(),
    /** Stops claiming; deliveries in flight get `graceMs` to finish, then are cut short (and sent again after a restart). */
    async close(graceMs = 2_000) {
      closed = true;
      if (timer) clearTimeout(timer);
      let grace: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => (grace = setTimeout(resolve, graceMs)))]);
      clearTimeout(grace);
      stop.abort();
      await Promise.allSettled([...inFlight]);
    },
  };
}
