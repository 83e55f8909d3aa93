import type { ConversationService } from '../services/conversations';
import { FOLLOW_UP_LINES, ORDER_LINES, PRESALES_LINES } from '../services/demo/data/buyerLines';
import { PRODUCTS } from '../services/demo/data/shop';
import { createRandom, fill, type Random } from '../services/demo/random';
import type { Store } from '../store';

export type DemoBuyersConfig = { enabled: boolean; intervalMs: number };
export type DemoBuyers = {
  config(): DemoBuyersConfig;
  configure(next: { enabled: boolean; intervalMs?: number }): DemoBuyersConfig;
  stop(): void;
};

/** Share of messages written by a buyer who already has an open conversation. */
const FOLLOW_UP_SHARE = 0.4;
/** Share of buyers with orders who ask about their newest order rather than about buying. */
const ORDER_QUESTION_SHARE = 0.7;
/** A floor under the interval, so a bad setting cannot turn the channel into a busy loop. */
const MIN_INTERVAL_MS = 250;

/**
 * The demo buyer channel: while enabled, a demo buyer writes every `intervalMs` or so (±30%). Some
 * follow up in their open conversation, others open a new one, asking what their orders make them ask.
 * Messages arrive through the conversation service, as from any channel. The timer never keeps the
 * process alive, and a failed write is logged and the channel carries on.
 */
export function startDemoBuyers(options: {
  store: Store;
  conversations: ConversationService;
  enabled: boolean;
  intervalMs: number;
  log: (message: string, error?: unknown) => void;
  /** Random source in [0, 1) (default Math.random); tests pass a seeded one. */
  random?: () => number;
}): DemoBuyers {
  const { store, conversations, log } = options;
  const rnd = createRandom(options.random ?? Math.random);
  let config: DemoBuyersConfig = { enabled: options.enabled, intervalMs: options.intervalMs };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  function clear(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }

  function schedule(): void {
    clear();
    if (stopped || !config.enabled) return;
    const delay = Math.max(MIN_INTERVAL_MS, config.intervalMs) * (0.7 + 0.6 * rnd.next());
    timer = setTimeout(tick, delay);
    timer.unref?.();
  }

  function tick(): void {
    timer = undefined;
    try {
      writeOnce(store, conversations, rnd);
    } catch (error) {
      log('a demo buyer could not write', error);
    }
    schedule();
  }

  schedule();
  return {
    config: () => ({ ...config }),
    configure(next) {
      config = { enabled: next.enabled, intervalMs: next.intervalMs ?? config.intervalMs };
      schedule();
      return { ...config };
    },
    stop() {
      stopped = true;
      clear();
    },
  };
}

function writeOnce(store: Store, conversations: ConversationService, rnd: Random): void {
  const open = conversations.list('open');
  const talking = new Set(open.map((c) => c.customerId));
  const idle = store.customers.ids().filter((id) => !talking.has(id));
  if (open.length > 0 && (idle.length === 0 || rnd.chance(FOLLOW_UP_SHARE))) {
    const { customerId } = rnd.pick(open);
    conversations.receive({ customerId, text: fill(rnd.pick(FOLLOW_UP_LINES), productValues(rnd)) });
  } else if (idle.length > 0) {
    const customerId = rnd.pick(idle);
    conversations.receive({ customerId, text: openingLine(store, customerId, rnd) });
  }
}

/** What a buyer opens with: about her newest order, or, without one, a question before buying. */
function openingLine(store: Store, customerId: string, rnd: Random): string {
  const newest = store.orders.listByCustomer(customerId)[0];
  if (!newest || !rnd.chance(ORDER_QUESTION_SHARE)) return fill(rnd.pick(PRESALES_LINES), productValues(rnd));
  const item = newest.items[0];
  const values: Record<string, string> = { ...productValues(rnd), 订单号: newest.orderNo };
  const product = PRODUCTS.find((p) => p.title === item?.title);
  if (product) values.商品 = product.short;
  return fill(rnd.pick(ORDER_LINES[newest.status]), values);
}

function productValues(rnd: Random): Record<string, string> {
  const product = rnd.pick(PRODUCTS);
  return { 商品: product.short, 颜色: rnd.pick(product.colors), 尺码: rnd.pick(product.sizes) };
}
