import type { ExportLocale } from '../../../shared/contract/exports';
import type { MessageKind, MessageSender, OrderStatus } from '../../../shared/domain/types';
import { LOG, type LogRow } from '../../store';
import { neutralise } from '../csv/csvText';
import type { ZonedClock } from './timeZone';

/**
 * One exported message with typed fields: what JSON Lines writes (in this key order), and what the
 * other formats lay out. The same fields as the CSV columns, plus the message id and the time in ms.
 */
export type LogRecord = {
  id: string;
  /** ISO 8601 with the shop's offset. */
  time: string;
  timeMs: number;
  /** 'YYYY-MM-DD HH:mm:ss' in the shop's time zone. */
  localTime: string;
  conversationId: string;
  buyerNick: string;
  /** The agent who wrote it, or for buyer and system messages the agent serving the conversation. */
  agent: string | null;
  direction: MessageSender;
  type: MessageKind;
  text: string;
  orderNo: string | null;
};

/** A store row as a record; `agents` maps agent ids to nicks. */
export function toRecord(row: LogRow, clock: ZonedClock, agents: ReadonlyMap<string, string>): LogRecord {
  const createdAt = row[LOG.createdAt];
  const agentId = row[LOG.agentId];
  const stamp = clock.stamp(createdAt);
  return {
    id: row[LOG.id],
    time: stamp.iso,
    timeMs: createdAt,
    localTime: stamp.local,
    conversationId: row[LOG.conversationId],
    buyerNick: row[LOG.buyerNick],
    agent: agentId === null ? null : (agents.get(agentId) ?? null),
    direction: row[LOG.sender],
    type: row[LOG.kind],
    text: row[LOG.text],
    orderNo: row[LOG.orderNo],
  };
}

/** The spreadsheet columns (CSV and XLSX), in order. */
export const COLUMN_KEYS = ['time', 'localTime', 'conversationId', 'buyerNick', 'agent', 'direction', 'type', 'text', 'orderNo'] as const;
export type ColumnKey = (typeof COLUMN_KEYS)[number];

type Labels = {
  columns: Record<ColumnKey, string>;
  direction: Record<MessageSender, string>;
  type: Record<MessageKind, string>;
  orderStatus: Record<OrderStatus, string>;
  transcript: {
    title: string;
    exportedAt: string;
    range: string;
    timeZone: string;
    conversations: string;
    messages: string;
    filters: string;
    tags: string;
    groups: string;
    keyword: string;
    contents: string;
    agent: string;
    conversation: string;
    order: string;
    amount: string;
    none: string;
    empty: string;
  };
};

export const LABELS: Record<ExportLocale, Labels> = {
  'zh-CN': {
    columns: {
      time: '时间(ISO 8601)',
      localTime: '本地时间',
      conversationId: '会话ID',
      buyerNick: '买家昵称',
      agent: '客服',
      direction: '方向',
      type: '消息类型',
      text: '内容',
      orderNo: '订单号',
    },
    direction: { buyer: '买家', agent: '客服', system: '系统' },
    type: { text: '文本', order_card: '订单卡片', product_card: '商品卡片' },
    orderStatus: { pending_payment: '待付款', to_ship: '待发货', shipped: '已发货', completed: '交易成功', refunding: '退款中' },
    transcript: {
      title: '聊天记录',
      exportedAt: '导出时间',
      range: '日期范围',
      timeZone: '时区',
      conversations: '个会话',
      messages: '条消息',
      filters: '筛选条件',
      tags: '标签',
      groups: '分组',
      keyword: '关键词',
      contents: '目录',
      agent: '接待客服',
      conversation: '会话',
      order: '订单号',
      amount: '实付',
      none: '无',
      empty: '没有符合条件的聊天记录。',
    },
  },
  en: {
    columns: {
      time: 'Time (ISO 8601)',
      localTime: 'Local time',
      conversationId: 'Conversation ID',
      buyerNick: 'Buyer',
      agent: 'Agent',
      direction: 'Direction',
      type: 'Type',
      text: 'Text',
      orderNo: 'Order no.',
    },
    direction: { buyer: 'buyer', agent: 'agent', system: 'system' },
    type: { text: 'text', order_card: 'order card', product_card: 'product card' },
    orderStatus: { pending_payment: 'awaiting payment', to_ship: 'to ship', shipped: 'shipped', completed: 'completed', refunding: 'refunding' },
    transcript: {
      title: 'Chat log',
      exportedAt: 'Exported',
      range: 'Days',
      timeZone: 'Time zone',
      conversations: 'conversations',
      messages: 'messages',
      filters: 'Filters',
      tags: 'Tags',
      groups: 'Groups',
      keyword: 'Keyword',
      contents: 'Contents',
      agent: 'Agent',
      conversation: 'Conversation',
      order: 'Order no.',
      amount: 'Paid',
      none: 'none',
      empty: 'No messages match.',
    },
  },
};

/** The spreadsheet cells of a record: labels in the chosen language, text neutralised. */
export function cells(r: LogRecord, labels: Labels): string[] {
  return [
    r.time,
    r.localTime,
    r.conversationId,
    neutralise(r.buyerNick),
    neutralise(r.agent ?? ''),
    labels.direction[r.direction],
    labels.type[r.type],
    neutralise(r.text),
    neutralise(r.orderNo ?? ''),
  ];
}
