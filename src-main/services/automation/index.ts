import { AppError } from '../../../shared/contract/errors';
import type { AutomationConfig, PendingOrder, ReminderLog } from '../../../shared/contract/automation';
import { autoReplyFor, type AutoReplyConfig } from '../../../shared/domain/automation/autoReply';
import { minutes } from '../../../shared/domain/automation/clock';
import { reminderKey, remindersDue, type ReminderConfig, type UnpaidOrder } from '../../../shared/domain/automation/reminders';
import {
  AUTOMATION_LIMITS,
  DEFAULT_AUTOMATION_SETTINGS,
  fillReminder,
  type AutomationRule,
  type AutomationSettings,
} from '../../../shared/domain/automation/settings';
import { newId } from '../../../shared/domain/ids';
import { requireRole, type Caller } from '../../../shared/domain/policy';
import { IMAGE_TEXT } from '../../../shared/domain/images';
import type { AgentState, Message, MessageAutomation, PhraseImage, Shop } from '../../../shared/domain/types';
import type { Store } from '../../store';
import { checkRedLines, redLineService } from '../redLines';
import { offsetMinutesAt } from './offset';

export type Clock = () => number;

const SETTINGS_KEY = 'automation';
const DAY = 24 * 60 * 60_000;
/** At most this many unpaid orders are evaluated per round (the bench runs 100k). */
const MAX_OPEN_ORDERS = 200_000;

export type AutomationDeps = {
  store: Store;
  now: Clock;
  /** Agents 在线 at a connected desk now (the away reply's "nobody is there"). */
  agentsOnline: () => number;
  /** Whether an agent is at a connected desk now (an absent owner counts as 离线). */
  present: (agentId: string) => boolean;
  /**
   * Pictures for auto-replies: whether the buyer's channel takes them (the same rule as an agent's
   * picture: a hub's widget visitors and bridges that said so, a standalone desk's demo buyers), and
   * whether a picture's file is here. Absent: no auto-reply sends a picture.
   */
  pictures?: { accepts: (customerId: string) => boolean; has: (hash: string) => boolean };
  log?: (message: string, error?: unknown) => void;
};

/**
 * Automation's rules on the shop's store: the settings and keyword rules, the auto-replies to a
 * buyer's message, the 催付 round, the 待付款 queue and the reminder log. Every message it writes
 * goes into the conversation as an ordinary message (a feed row, so every desk gets it) marked
 * `automated`, in the same transaction that claims its idempotency keys: a key taken already (a
 * second runner, a restart, a click) means nothing is written. Only the shop's one runner calls
 * `afterBuyerMessage` and `round` (see core.ts: a standalone desk or the hub, never a team desk).
 */
export function automationService(deps: AutomationDeps) {
  const { store, now } = deps;
  const redLines = redLineService(store, now);

  function settings(): AutomationSettings {
    const stored = store.settings.get<Partial<AutomationSettings>>(SETTINGS_KEY, {});
    return { ...DEFAULT_AUTOMATION_SETTINGS, ...stored };
  }
  const offset = (at: number) => offsetMinutesAt(store, at);

  /**
   * The picture a keyword rule's reply carries: its team phrase's (a size chart, a QR code), when the
   * buyer's channel takes pictures and the file is here. Null: the words go alone.
   */
  function ruleImage(ruleId: string | undefined, customerId: string): PhraseImage | null {
    if (!ruleId || !deps.pictures?.accepts(customerId)) return null;
    const phraseId = store.automation.rules().find((r) => r.id === ruleId)?.phraseId;
    const raw = phraseId ? store.phrases.phrase(phraseId)?.image : null;
    if (!raw) return null;
    const image = JSON.parse(raw) as PhraseImage;
    return deps.pictures.has(image.hash) ? image : null;
  }

  function rulesForEngine(): AutomationRule[] {
    // A rule that answers with a phrase answers with the phrase as it is now.
    return store.automation.rules().map((r) => (r.phraseId ? { ...r, reply: store.phrases.phrase(r.phraseId)?.content ?? r.reply } : r));
  }

  /** Writes one automated message into the conversation (call inside `store.tx`). */
  function write(m: {
    conversationId: string;
    text: string;
    automated: MessageAutomation;
    at: number;
    orderId?: string | null;
    agentId?: string | null;
    kind?: 'image';
  }): Message {
    const id = newId();
    const { message } = store.messages.insert({
      id,
      conversation_id: m.conversationId,
      sender: 'agent',
      agent_id: m.agentId ?? null,
      kind: m.kind ?? (m.orderId ? 'order_card' : 'text'),
      text: m.text,
      order_id: m.orderId ?? null,
      created_at: m.at,
      automated: m.automated,
    });
    // As a system line for the conversation's aggregate: an automatic message answers nobody, so the
    // buyer still waits for a person (the list's 未回复, the reports' response times).
    store.conversations.applyMessage(m.conversationId, 'system', m.at, m.text);
    return message;
  }

  /** The buyer's open conversation, opened (unassigned) when there is none. */
  function conversationFor(customerId: string, at: number): string {
    const open = store.conversations.openForCustomer(customerId);
    if (open) return open;
    const id = newId();
    store.conversations.insertOpen(id, customerId, null, at);
    return id;
  }

  function reminderText(customerId: string, orderIds: string[]): { text: string; amountCents: number } {
    const orders = orderIds.map((id) => store.orders.get(id)).filter((o) => o !== undefined);
    const amountCents = orders.reduce((sum, o) => sum + o.amountCents, 0);
    const text = fillReminder(settings().reminders.template, {
      buyerNick: store.customers.get(customerId)?.nick ?? '',
      orderNos: orders.map((o) => o.orderNo),
      amountCents,
      shopName: store.settings.get<Shop>('shop', { id: '', name: '' }).name,
    });
    return { text, amountCents };
  }

  function reminderConfig(at: number): ReminderConfig {
    const { template: _template, ...rest } = settings().reminders;
    return { ...rest, offsetMinutes: offset(at) };
  }

  return {
    get(): AutomationConfig {
      return { settings: settings(), rules: store.automation.rules() };
    },

    save(args: { settings: AutomationSettings; rules: AutomationRule[]; confirmRedLines?: boolean | undefined }, caller: Caller) {
      requireRole(caller, 'keepAutomation');
      const ids = new Set(args.rules.map((r) => r.id));
      if (ids.size !== args.rules.length) throw new AppError('invalid_argument', 'two rules have one id');
      // A rule answers with a team phrase only: a personal phrase is its agent's, not the shop's to send.
      args.rules.forEach((r, i) => {
        if (r.phraseId !== null && store.phrases.phrase(r.phraseId)?.scope !== 'team')
          throw new AppError('invalid_argument', 'a rule answers with a team phrase', { path: `rules.${i}.phraseId` });
      });
      // Auto-replies are checked when saved, as phrases are: the platform's red lines hold for the app too.
      const s = args.settings;
      checkRedLines(
        redLines.matcher(),
        [s.welcome.text, s.away.text, s.reminders.template, ...args.rules.map((r) => r.reply)],
        caller,
        args.confirmRedLines,
      );
      store.tx(() => {
        store.settings.set(SETTINGS_KEY, s);
        store.automation.replaceRules(args.rules, now());
      });
      return this.get();
    },

    /** Auto-replies to a buyer's message just stored. */
    afterBuyerMessage(message: Message): Message[] {
      if (message.sender !== 'buyer') return [];
      const s = settings();
      const at = now();
      const config: AutoReplyConfig = {
        welcome: s.welcome,
        windowMinutes: s.windowMinutes,
        keywords: rulesForEngine(),
        away: s.away,
        offsetMinutes: offset(at),
      };
      if (!config.welcome.enabled && !config.away.enabled && !config.keywords.some((k) => k.enabled)) return [];
      const conversation = store.conversations.get(message.conversationId);
      if (!conversation || conversation.status !== 'open') return [];
      // The message before this one: the newest two, oldest first.
      const newest = store.messages.page(message.conversationId, 2).messages;
      const previous = newest.length === 2 && newest[1]!.id === message.id ? newest[0]! : null;
      const agent = conversation.agentId ? store.agents.get(conversation.agentId) : undefined;
      const agentState: AgentState | null = agent ? (deps.present(agent.id) ? agent.state : 'offline') : null;
      const plan = autoReplyFor(
        {
          conversationId: message.conversationId,
          messageId: message.id,
          sender: 'buyer',
          automated: !!message.automated,
          text: message.text,
          at: message.createdAt,
        },
        {
          config,
          lastMessageAt: previous?.createdAt ?? null,
          windowStart: store.automation.windowStart(message.conversationId),
          agentState,
          agentsOnline: deps.agentsOnline(),
          done: { has: (k: string) => store.automation.hasKey(k) } as ReadonlySet<string>,
        },
        at,
      );
      return store.tx(() => {
        if (plan.windowStart !== null) store.automation.setWindowStart(message.conversationId, plan.windowStart);
        const sent: Message[] = [];
        for (const reply of plan.replies) {
          if (!store.automation.claim([reply.key], at)) continue;
          sent.push(write({ conversationId: message.conversationId, text: reply.text, automated: 'auto_reply', at }));
          // A rule answering with a phrase that carries a picture sends the picture after the words,
          // under the same key (so once), stored by the phrase's file as an agent's picture is.
          const image = reply.kind === 'keyword' ? ruleImage(reply.ruleId, conversation.customerId) : null;
          if (image) {
            const picture = write({ conversationId: message.conversationId, text: IMAGE_TEXT, automated: 'auto_reply', at, kind: 'image' });
            store.channels.images.insert({
              message_id: picture.id,
              customer_id: conversation.customerId,
              hash: image.hash,
              mime: image.mime,
              bytes: image.bytes,
              width: image.width,
              height: image.height,
            });
            sent.push(picture);
          }
        }
        return sent;
      });
    },

    /**
     * One 催付 round at `now`: sends what is due (one message per buyer), logs what is dropped, and
     * says when the next reminder may become due (null: none in sight).
     */
    round(): { sent: number; dropped: number; nextAt: number | null } {
      const at = now();
      const config = reminderConfig(at);
      if (!config.enabled) return { sent: 0, dropped: 0, nextAt: null };
      const horizon = Math.max(config.closeAfterMinutes, config.flashCloseAfterMinutes);
      const rows = store.automation.unpaid(at - minutes(horizon), MAX_OPEN_ORDERS);
      // What each order was reminded of rides on the order (no key per order and round: 100k open orders).
      const orders: UnpaidOrder[] = rows.map((r) => ({
        orderId: r.id,
        buyerId: r.customer_id,
        createdAt: r.created_at,
        status: 'unpaid',
        flashSale: r.flash_sale === 1,
        reminded: { after_order: (r.reminded & 1) !== 0, pre_close: (r.reminded & 2) !== 0 },
      }));
      const plan = remindersDue({ config, orders, done: new Set<string>() }, at);
      const amountOf = new Map(rows.map((r) => [r.id, r.amount_cents]));
      const buyerOf = new Map(rows.map((r) => [r.id, r.customer_id]));
      let sent = 0;
      let dropped = 0;
      store.tx(() => {
        for (const d of plan.drop) {
          if (!store.automation.claim([d.key], at)) continue;
          dropped++;
          store.automation.log({
            id: newId(),
            at,
            kind: d.kind,
            customer_id: buyerOf.get(d.orderId) ?? '',
            order_ids: JSON.stringify([d.orderId]),
            amount_cents: amountOf.get(d.orderId) ?? 0,
            outcome: 'skipped',
            reason: d.reason,
            message_id: null,
            agent_id: null,
          });
        }
        for (const r of plan.send) {
          if (!store.automation.claim(r.keys, at)) continue;
          sent++;
          const { text, amountCents } = reminderText(r.buyerId, r.orderIds);
          const conversationId = conversationFor(r.buyerId, at);
          const message = write({ conversationId, text, automated: 'reminder', at, orderId: r.orderIds[0]! });
          // The message is the shop's (no agent: it answers nobody), the reminder counts in the reports
          // for the agent serving the conversation now (none: the team's only).
          const servedBy = store.conversations.get(conversationId)?.agentId ?? null;
          store.automation.log({
            id: newId(),
            at,
            kind: r.kind,
            customer_id: r.buyerId,
            order_ids: JSON.stringify(r.orderIds),
            amount_cents: amountCents,
            outcome: 'sent',
            reason: null,
            message_id: message.id,
            agent_id: servedBy && store.agents.get(servedBy) ? servedBy : null,
          });
        }
      });
      return { sent, dropped, nextAt: plan.nextAt };
    },

    /** The queue's one click: a 催付 card for this order now, from the agent; once per order. */
    remind(orderId: string, caller: Caller): { messageId: string; conversationId: string } {
      const at = now();
      return store.tx(() => {
        const order = store.orders.get(orderId);
        if (!order) throw new AppError('not_found', `no order ${orderId}`);
        if (order.status !== 'pending_payment') throw new AppError('conflict', 'the order is not waiting for payment');
        // The after-order key: the runner will not remind this order again after the click.
        if (!store.automation.claim([reminderKey('after_order', orderId)], at)) {
          throw new AppError('conflict', 'this order was reminded already', { reason: 'reminded' });
        }
        const { text, amountCents } = reminderText(order.customerId, [orderId]);
        const conversationId = conversationFor(order.customerId, at);
        // The operator of a shop with no accounts yet is nobody the messages table knows.
        const agentId = store.agents.get(caller.agentId) ? caller.agentId : null;
        const message = write({ conversationId, text, automated: 'reminder', at, orderId, agentId });
        store.automation.log({
          id: newId(),
          at,
          kind: 'manual',
          customer_id: order.customerId,
          order_ids: JSON.stringify([orderId]),
          amount_cents: amountCents,
          outcome: 'sent',
          reason: null,
          message_id: message.id,
          agent_id: agentId,
        });
        return { messageId: message.id, conversationId };
      });
    },

    /** The 待付款 queue: unpaid orders still open (a flash-sale order closes sooner), newest first. */
    pending(): PendingOrder[] {
      const at = now();
      const config = reminderConfig(at);
      return store.automation
        .unpaid(at - minutes(config.closeAfterMinutes), AUTOMATION_LIMITS.pending)
        .filter((r) => r.flash_sale !== 1 || at < r.created_at + minutes(config.flashCloseAfterMinutes))
        .map((r) => ({
          orderId: r.id,
          orderNo: r.order_no,
          customerId: r.customer_id,
          customerNick: r.customer_nick,
          amountCents: r.amount_cents,
          createdAt: r.created_at,
          flashSale: r.flash_sale === 1,
          reminded: r.reminded !== 0,
        }));
    },

    log(before: number | null, limit: number): ReminderLog {
      const at = now();
      const local = at + offset(at) * 60_000;
      const midnight = at - (((local % DAY) + DAY) % DAY);
      const week = at - 7 * DAY;
      const recovered = store.automation.recoveredSince(week);
      return {
        entries: store.automation.logPage(before ?? Number.MAX_SAFE_INTEGER, limit).map((r) => ({
          id: r.id,
          at: r.at,
          kind: r.kind,
          customerId: r.customer_id,
          customerNick: store.customers.get(r.customer_id)?.nick ?? '',
          orderIds: JSON.parse(r.order_ids) as string[],
          amountCents: r.amount_cents,
          outcome: r.outcome,
          reason: r.reason,
        })),
        figures: {
          today: store.automation.sentSince(midnight),
          week: store.automation.sentSince(week),
          paidAfter: recovered.orders,
          recoveredCents: recovered.cents,
        },
      };
    },
  };
}

export type AutomationService = ReturnType<typeof automationService>;
