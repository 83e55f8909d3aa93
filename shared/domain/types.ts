import type { OrderFlag } from './flags';

/** Milliseconds since the Unix epoch. */
export type Millis = number;

export type AgentRole = 'agent' | 'supervisor' | 'owner';
export type AgentState = 'online' | 'busy' | 'offline';

export type Agent = {
  id: string;
  nick: string;
  role: AgentRole;
  state: AgentState;
};

/**
 * An account as the team sees it (the roster, a synced entity): its state, whether it is signed in at
 * a connected desk right now (`present`), how many open conversations routing may give it
 * (`maxOpen`), and whether the owner disabled it.
 */
export type TeamAgent = Agent & { present: boolean; maxOpen: number; disabled: boolean };

export type Shop = { id: string; name: string };

export type Tag = { id: string; name: string; color: string };

export type CustomerGroup = { id: string; name: string };

export type Customer = {
  id: string;
  nick: string;
  groupId: string | null;
  remark: string;
  firstSeenAt: Millis;
  tags: Tag[];
};

export type ConversationStatus = 'open' | 'ended';

export type ConversationSummary = {
  id: string;
  customerId: string;
  customerNick: string;
  customerTags: Tag[];
  customerGroupId: string | null;
  agentId: string | null;
  status: ConversationStatus;
  lastMessageAt: Millis;
  lastMessagePreview: string;
  unreadCount: number;
  /** Time of the buyer's oldest message not yet answered by an agent; null when nobody is waiting. */
  waitingSince: Millis | null;
};

export type MessageSender = 'buyer' | 'agent' | 'system';
/** `image`: a picture a buyer sent through a channel (its file is kept on the hub; the text is a placeholder). */
export type MessageKind = 'text' | 'order_card' | 'product_card' | 'image';

export type Message = {
  id: string;
  conversationId: string;
  sender: MessageSender;
  agentId: string | null;
  kind: MessageKind;
  text: string;
  orderId: string | null;
  createdAt: Millis;
  /** Sent by the app, not typed by a person: an auto-reply or a 催付 reminder (absent: a person's). */
  automated?: MessageAutomation;
};

/** What sent an automated message (migration 0014). */
export type MessageAutomation = 'auto_reply' | 'reminder';

export type OrderStatus = 'pending_payment' | 'to_ship' | 'shipped' | 'completed' | 'refunding';

export const ORDER_STATUSES: readonly OrderStatus[] = ['pending_payment', 'to_ship', 'shipped', 'completed', 'refunding'];

export type OrderItem = { id: string; title: string; sku: string; priceCents: number; quantity: number };

export type Order = {
  id: string;
  orderNo: string;
  customerId: string;
  status: OrderStatus;
  amountCents: number;
  address: string;
  logisticsCompany: string | null;
  trackingNo: string | null;
  createdAt: Millis;
  paidAt: Millis | null;
  /** Placed in a flash sale (秒杀): unpaid, it closes sooner (migration 0020). Absent in rows from before it: no. */
  flashSale?: boolean;
  items: OrderItem[];
  flag: OrderFlag;
  memo: string;
};

/** One change of an order's memo (备注), for the history beside the editor. */
export type MemoEdit = { id: string; oldMemo: string; newMemo: string; at: Millis; authorId: string | null; authorNick: string | null };

export type PhraseScope = 'team' | 'personal';

export type Phrase = {
  id: string;
  scope: PhraseScope;
  groupId: string;
  code: string;
  title: string;
  content: string;
  useCount: number;
  /** A picture sent with the phrase (a size chart, a QR code); absent: none. Its file is fetched with `phrases.image`. */
  image?: PhraseImage;
};

/** A phrase's picture: its file's sha256, checked type and size. */
export type PhraseImage = {
  hash: string;
  mime: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
  width: number;
  height: number;
  bytes: number;
};

/** A phrase as the phrase picker holds it: with its precomputed search keys and use record. */
export type PickerPhrase = Phrase & { searchKeys: string; lastUsedAt: Millis | null; sort: number };

export type PhraseGroup = { id: string; scope: PhraseScope; name: string; sort: number };
