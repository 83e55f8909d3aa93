import type { ExportLocale } from '../../../shared/contract/logExport';
import { ORDER_STATUSES, type MessageKind, type MessageSender, type OrderStatus } from '../../../shared/domain/types';
import { translator } from '../../../shared/i18n';
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
  transcript: Record<(typeof TRANSCRIPT_WORDS)[number], string>;
};

/** The transcript's own words (`exportLog.*` in the dictionaries). */
const TRANSCRIPT_WORDS = [
  'title',
  'exportedAt',
  'range',
  'timeZone',
  'conversations',
  'messages',
  'filters',
  'tags',
  'groups',
  'keyword',
  'contents',
  'agent',
  'conversation',
  'amount',
  'none',
  'empty',
] as const;

/**
 * The words of an export in one language, from the dictionaries (shared/i18n): a message's direction,
 * kind and order status read as the desk shows them; the columns and the transcript's words are the
 * export's own (`exportLog.*`).
 */
function labelsIn(locale: ExportLocale): Labels {
  const t = translator(locale);
  return {
    columns: Object.fromEntries(COLUMN_KEYS.map((k) => [k, t(`exportLog.column.${k}`)])) as Record<ColumnKey, string>,
    direction: { buyer: t('sender.buyer'), agent: t('sender.agent'), system: t('sender.system') },
    type: {
      text: t('exportLog.type.text'),
      order_card: t('message.orderCard'),
      product_card: t('message.productCard'),
      image: t('message.image'),
    },
    orderStatus: Object.fromEntries(ORDER_STATUSES.map((s) => [s, t(`order.status.${s}`)])) as Record<OrderStatus, string>,
    transcript: Object.fromEntries(TRANSCRIPT_WORDS.map((w) => [w, t(`exportLog.${w}`)])) as Labels['transcript'],
  };
}

export const LABELS: Record<ExportLocale, Labels> = { 'zh-CN': labelsIn('zh-CN'), en: labelsIn('en') };

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
