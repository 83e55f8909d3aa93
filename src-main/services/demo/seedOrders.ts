import type { OrderFlag } from '../../../shared/domain/flags';
import type { OrderStatus } from '../../../shared/domain/types';
import type { OrderItemRow } from '../../store/orders';
import { CARRIERS, MEMO_EDITS, MEMOS, PRODUCTS, STATUS_WEIGHTS } from './data/shop';
import {
  between,
  DAY,
  HOUR,
  MINUTE,
  type CustomerPlan,
  type DemoAgents,
  type NotePlan,
  type OrderPlan,
  type SeedContext,
} from './seedContext';

export const ORDER_COUNT = 220;
const FLASH_SALE_EVERY = 8;

/** When an order of each status was placed, as [oldest, newest] ages. */
const AGE: Record<OrderStatus, [number, number]> = {
  pending_payment: [30 * HOUR, 5 * MINUTE],
  to_ship: [3 * DAY, HOUR],
  shipped: [7 * DAY, 1 * DAY],
  completed: [200 * DAY, 10 * DAY],
  refunding: [25 * DAY, 5 * DAY],
};

/** Share of orders of each status that carry a flag and memo. */
const NOTED: Record<OrderStatus, number> = { pending_payment: 0.3, to_ship: 0.45, shipped: 0.3, completed: 0.1, refunding: 0.6 };

function pickStatus(ctx: SeedContext, index: number): OrderStatus {
  // The first orders take each status once, so every status is present whatever the seed.
  const forced = STATUS_WEIGHTS[index];
  if (forced) return forced[0];
  let r = ctx.rnd.next();
  for (const [status, weight] of STATUS_WEIGHTS) {
    if ((r -= weight) < 0) return status;
  }
  return 'completed';
}

function pickCustomer(ctx: SeedContext, customers: CustomerPlan[], totalWeight: number): CustomerPlan {
  let r = ctx.rnd.next() * totalWeight;
  for (const c of customers) {
    if ((r -= c.weight) < 0) return c;
  }
  return customers.find((c) => c.weight > 0) as CustomerPlan;
}

function orderNo(ctx: SeedContext, taken: Set<string>): string {
  for (;;) {
    const no = `${ctx.rnd.int(1, 4)}${ctx.rnd.digits(18)}`;
    if (!taken.has(no)) {
      taken.add(no);
      return no;
    }
  }
}

function items(ctx: SeedContext): Omit<OrderItemRow, 'order_id'>[] {
  const { rnd } = ctx;
  const products = rnd.sample(PRODUCTS, rnd.pick([1, 1, 1, 1, 2, 2, 3]));
  return products.map((p) => ({
    id: ctx.ids(),
    title: p.title,
    sku: `颜色:${rnd.pick(p.colors)};尺码:${rnd.pick(p.sizes)}`,
    price_cents: p.priceCents,
    quantity: rnd.chance(0.9) ? 1 : 2,
  }));
}

function notes(ctx: SeedContext, status: OrderStatus, createdAt: number, agents: DemoAgents, editsLeft: (readonly string[])[]): NotePlan[] {
  const { rnd, now } = ctx;
  const flag = rnd.int(1, 5) as OrderFlag;
  // A few orders in the warehouse's hands get memos that grew over several edits.
  if ((status === 'to_ship' || status === 'shipped') && editsLeft.length > 0 && rnd.chance(0.5)) {
    const edits = editsLeft.shift() as readonly string[];
    let at = createdAt;
    return edits.map((memo, i) => {
      at = between(ctx, at + MINUTE, Math.min(now, at + (now - createdAt) / edits.length));
      return { flag: i === edits.length - 1 ? 1 : flag, memo, authorId: rnd.pick(agents.writers).id, at };
    });
  }
  if (!rnd.chance(NOTED[status])) return [];
  return [{ flag, memo: rnd.pick(MEMOS[status]), authorId: rnd.pick(agents.writers).id, at: between(ctx, createdAt + MINUTE, now) }];
}

/** Plans the orders: spread over the buyers by how much each buys, in every status, with notes. */
export function planOrders(ctx: SeedContext, customers: CustomerPlan[], agents: DemoAgents): OrderPlan[] {
  const { rnd, now } = ctx;
  const totalWeight = customers.reduce((sum, c) => sum + c.weight, 0);
  const taken = new Set<string>();
  const editsLeft = [...MEMO_EDITS];
  const plans: OrderPlan[] = [];
  for (let i = 0; i < ORDER_COUNT; i++) {
    const status = pickStatus(ctx, i);
    const customer = pickCustomer(ctx, customers, totalWeight);
    const [oldest, newest] = AGE[status];
    const picked = between(ctx, now - oldest, now - newest);
    // Every eighth order was a flash sale (秒杀); an unpaid one was placed in the last half hour (the
    // platform closes it sooner), so the 待付款 queue shows one. Picked by index: the random sequence,
    // and so the rest of the demo, stays the same.
    const flashSale = i % FLASH_SALE_EVERY === FLASH_SALE_EVERY - 3;
    const createdAt = flashSale && status === 'pending_payment' ? now - (5 + ((i * 7) % 20)) * MINUTE : picked;
    const paidAt = status === 'pending_payment' ? null : createdAt + rnd.int(1, 30) * MINUTE;
    const carrier = rnd.pick(CARRIERS);
    const shipped = status === 'shipped' || status === 'completed' || (status === 'refunding' && rnd.chance(0.7));
    const lines = items(ctx);
    const total = lines.reduce((sum, l) => sum + l.price_cents * l.quantity, 0);
    const updatedAt: Record<OrderStatus, number> = {
      pending_payment: createdAt,
      to_ship: paidAt ?? createdAt,
      shipped: Math.min(now, (paidAt ?? createdAt) + rnd.int(6, 40) * HOUR),
      completed: Math.min(now, createdAt + rnd.int(5, 12) * DAY),
      refunding: Math.min(now, createdAt + rnd.int(3, 5) * DAY),
    };
    const id = ctx.ids();
    plans.push({
      row: {
        id,
        order_no: orderNo(ctx, taken),
        customer_id: customer.id,
        status,
        // 满199减20, the shop's standing coupon.
        amount_cents: total >= 19_900 ? total - 2_000 : total,
        address: rnd.chance(0.8) ? (customer.addresses[0] as string) : rnd.pick(customer.addresses),
        logistics_company: shipped ? carrier.name : null,
        tracking_no: shipped ? `${carrier.prefix}${rnd.digits(carrier.digits)}` : null,
        created_at: createdAt,
        paid_at: paidAt,
        updated_at: updatedAt[status],
        flash_sale: flashSale ? 1 : 0,
      },
      items: lines,
      notes: notes(ctx, status, createdAt, agents, editsLeft),
    });
  }
  return plans;
}

export function writeOrders(ctx: SeedContext, orders: OrderPlan[]): void {
  for (const o of orders) {
    ctx.store.orders.insert(o.row, o.items);
    for (const n of o.notes) ctx.store.orders.setNote(o.row.id, { flag: n.flag, memo: n.memo }, n.authorId, n.at, ctx.ids());
  }
}
