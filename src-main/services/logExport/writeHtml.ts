import type { ExportFilters } from '../../../shared/contract/logExport';
import { LOG, type LogConversationRow, type LogRow, type TranscriptRow } from '../../store';
import { STEP_MASK } from './pace';
import { LABELS, toRecord } from './records';
import type { TextWriteContext } from './writeText';

export type TranscriptHeader = {
  shopName: string;
  exportedAt: number;
  filters: ExportFilters;
  timeZone: string;
};

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Every text that reaches the page goes through here: no buyer can put markup in a transcript. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

function yuan(cents: number): string {
  return `¥${(cents / 100).toFixed(2)}`;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0 auto;max-width:880px;padding:24px;color:#1f2328;background:#fff;
  font:14px/1.6 -apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif}
header{border-bottom:3px solid #ff5000;padding-bottom:12px;margin-bottom:16px}
h1{font-size:22px;margin:0 0 4px}
.meta{color:#57606a;font-size:13px;margin:2px 0}
nav ol{padding-left:24px;font-size:13px}
nav a{color:#0969da;text-decoration:none}
.conv{border-top:1px solid #d0d7de;margin-top:24px;padding-top:12px}
.conv h2{font-size:16px;margin:0 0 8px}
.conv h2 small{font-weight:normal;color:#57606a;font-size:12px}
.m{display:flex;flex-direction:column;margin:10px 0;max-width:78%}
.m.buyer{align-items:flex-start}
.m.agent{align-items:flex-end;margin-left:auto}
.m.system{max-width:none;align-items:center;color:#6e7781;font-size:12px}
.who{font-size:12px;color:#6e7781;margin-bottom:2px}
.b{white-space:pre-wrap;overflow-wrap:anywhere;padding:8px 12px;border-radius:12px;background:#f2f3f5}
.agent .b{background:#dbeafe}
.system .b{background:none;padding:0}
.card{border:1px solid #ffc9a8;border-radius:8px;padding:8px 12px;background:#fff7f0;min-width:260px}
.card .h{font-weight:600}
.card ul{margin:4px 0;padding-left:18px}
.card .f{text-align:right}
.empty{color:#6e7781}
@media print{body{max-width:none;padding:0}.conv{break-before:page;border:0}.m{break-inside:avoid}nav a{color:inherit}}
`;

type Labels = (typeof LABELS)[keyof typeof LABELS];

/** The page's head and its header block (shop, export time, time zone, then the given lines), every text escaped. */
function pageStart(locale: string, title: string, heading: string, metaLines: string[]): string {
  return `<!DOCTYPE html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(heading)}</h1>
${metaLines.map((l) => `<p class="meta">${escapeHtml(l)}</p>`).join('\n')}
</header>
`;
}

const PAGE_END = '</body>\n</html>\n';

/** The export's own lines for a header: when, which time zone, which days, how much, which filters. */
function exportMeta(
  ctx: TextWriteContext,
  header: TranscriptHeader,
  count: { messages: number; conversations: number },
): { title: string; heading: string; lines: string[]; conversationLines: (messages: number) => string[] } {
  const labels = LABELS[ctx.locale];
  const t = labels.transcript;
  const f = header.filters;
  const filterParts = [
    f.agents.length ? `${labels.columns.agent}: ${f.agents.join('、')}` : '',
    f.customers.length ? `${labels.columns.buyerNick}: ${f.customers.join('、')}` : '',
    f.tags.length ? `${t.tags}: ${f.tags.join('、')}` : '',
    f.groups.length ? `${t.groups}: ${f.groups.join('、')}` : '',
    f.keyword?.trim() ? `${t.keyword}: “${f.keyword.trim()}”` : '',
    f.directions.length ? `${labels.columns.direction}: ${f.directions.map((d) => labels.direction[d]).join('、')}` : '',
  ].filter(Boolean);
  return {
    title: `${header.shopName} ${t.title} ${f.from} – ${f.to}`,
    heading: `${header.shopName} · ${t.title}`,
    lines: [
      `${t.exportedAt}: ${ctx.clock.local(header.exportedAt)} · ${t.timeZone}: ${header.timeZone}`,
      `${t.range}: ${f.from} – ${f.to} · ${count.conversations} ${t.conversations} · ${count.messages} ${t.messages}`,
      `${t.filters}: ${filterParts.length ? filterParts.join(' · ') : t.none}`,
    ],
    // A page of one conversation: the days and how many of its messages, not the whole export's counts.
    conversationLines: (messages: number) => [
      `${t.exportedAt}: ${ctx.clock.local(header.exportedAt)} · ${t.timeZone}: ${header.timeZone}`,
      `${t.range}: ${f.from} – ${f.to} · ${messages} ${t.messages}`,
      `${t.filters}: ${filterParts.length ? filterParts.join(' · ') : t.none}`,
    ],
  };
}

/** One line of the table of contents: buyer (linked), agent, first – last message, how many. */
function contentsLine(c: LogConversationRow, href: string, ctx: TextWriteContext): string {
  const t = LABELS[ctx.locale].transcript;
  return (
    `<li><a href="${escapeHtml(href)}">${escapeHtml(c.buyer_nick)}</a> · ${escapeHtml(c.agent_nick ?? '—')} · ` +
    `${escapeHtml(ctx.clock.local(c.first_at))} – ${escapeHtml(ctx.clock.local(c.last_at))} · ${c.messages} ${escapeHtml(t.messages)}</li>\n`
  );
}

/** A conversation's section opening: its buyer, agent and id. */
function sectionStart(row: TranscriptRow, ctx: TextWriteContext): string {
  const t = LABELS[ctx.locale].transcript;
  const conversationId = row[LOG.conversationId];
  const agentId = row[LOG.conversationAgentId];
  const agent = (agentId !== null ? ctx.agents.get(agentId) : undefined) ?? '—';
  return (
    `<section class="conv" id="c-${escapeHtml(conversationId)}">\n<h2>${escapeHtml(row[LOG.buyerNick])} ` +
    `<small>${escapeHtml(t.agent)}: ${escapeHtml(agent)} · ${escapeHtml(t.conversation)} ${escapeHtml(conversationId)}</small></h2>\n`
  );
}

/**
 * HTML transcripts: one self-contained printable page (inline style, no script, nothing fetched; a
 * Content-Security-Policy forbids both anyway) with the shop and the export time in the header, a
 * table of contents, then each conversation with buyer and agent bubbles, times, system lines and
 * order cards. Every text is escaped. Printing starts each conversation on a new page.
 */
export async function writeHtml(
  ctx: TextWriteContext,
  header: TranscriptHeader,
  count: { messages: number; conversations: number },
): Promise<void> {
  const { out, pace } = ctx;
  const labels = LABELS[ctx.locale];
  const t = labels.transcript;
  const meta = exportMeta(ctx, header, count);
  out.write(pageStart(ctx.locale, meta.title, meta.heading, meta.lines));

  if (count.messages === 0) {
    out.write(`<p class="empty">${escapeHtml(t.empty)}</p>\n${PAGE_END}`);
    return;
  }

  out.write(`<nav>\n<h2>${escapeHtml(t.contents)}</h2>\n<ol>\n`);
  let listed = 0;
  for (const c of ctx.queries.conversations(ctx.filter)) {
    out.write(contentsLine(c, `#c-${c.conversation_id}`, ctx));
    if ((++listed & STEP_MASK) === 0) await pace.step();
  }
  out.write('</ol>\n</nav>\n<main>\n');

  let current: string | null = null;
  for (const row of ctx.queries.transcriptRows(ctx.filter)) {
    const conversationId = row[LOG.conversationId];
    if (conversationId !== current) {
      if (current !== null) out.write('</section>\n');
      current = conversationId;
      out.write(sectionStart(row, ctx));
    }
    out.write(message(row, ctx, labels));
    if ((++pace.done & STEP_MASK) === 0) await pace.step();
  }
  if (current !== null) out.write('</section>\n');
  out.write(`</main>\n${PAGE_END}`);
}

/** Characters a file name may not hold on Windows, macOS or Linux (and control characters). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what a file name must not hold
const UNSAFE_NAME = /[\\/:*?"<>|\u0000-\u001f\u007f]/g;

/** `0007-芒果布丁.html`: the conversation's place in the contents, then the buyer's nick made safe as a file name. */
export function transcriptFileName(position: number, buyerNick: string, width: number): string {
  const nick = Array.from(buyerNick.replace(UNSAFE_NAME, '_').trim()).slice(0, 40).join('').replace(/^\.+/, '_');
  return `${String(position).padStart(width, '0')}-${nick || '_'}.html`;
}

/** Where the zip's pages go: each entry added after the previous one is written, so memory holds one conversation. */
export type ZipSink = { add(name: string, content: string): Promise<void> };

/**
 * The same transcripts as a .zip: `index.html` (the header and the contents, linking each page) and
 * one printable page per conversation under `conversations/`, each with the export's header, so a
 * single conversation can go to a marketplace dispute on its own.
 */
export async function writeHtmlZip(
  ctx: TextWriteContext,
  header: TranscriptHeader,
  count: { messages: number; conversations: number },
  zip: ZipSink,
): Promise<void> {
  const { pace } = ctx;
  const labels = LABELS[ctx.locale];
  const t = labels.transcript;
  const meta = exportMeta(ctx, header, count);
  const width = Math.max(4, String(count.conversations).length);
  const pagesOf = new Map<string, { name: string; messages: number }>();
  let index = pageStart(ctx.locale, meta.title, meta.heading, meta.lines);
  if (count.messages === 0) {
    await zip.add('index.html', `${index}<p class="empty">${escapeHtml(t.empty)}</p>\n${PAGE_END}`);
    return;
  }
  index += `<nav>\n<h2>${escapeHtml(t.contents)}</h2>\n<ol>\n`;
  for (const c of ctx.queries.conversations(ctx.filter)) {
    const name = `conversations/${transcriptFileName(pagesOf.size + 1, c.buyer_nick, width)}`;
    pagesOf.set(c.conversation_id, { name, messages: c.messages });
    index += contentsLine(c, name, ctx);
    if ((pagesOf.size & STEP_MASK) === 0) await pace.step();
  }
  await zip.add('index.html', `${index}</ol>\n</nav>\n${PAGE_END}`);

  let current: string | null = null;
  let page = '';
  const finishPage = async () => {
    if (current === null) return;
    await zip.add(pagesOf.get(current)?.name ?? `conversations/${current}.html`, `${page}</section>\n${PAGE_END}`);
  };
  for (const row of ctx.queries.transcriptRows(ctx.filter)) {
    const conversationId = row[LOG.conversationId];
    if (conversationId !== current) {
      await finishPage();
      current = conversationId;
      const lines = meta.conversationLines(pagesOf.get(conversationId)?.messages ?? 0);
      page = pageStart(ctx.locale, `${row[LOG.buyerNick]} · ${meta.title}`, meta.heading, lines) + sectionStart(row, ctx);
    }
    page += message(row, ctx, labels);
    if ((++pace.done & STEP_MASK) === 0) await pace.step();
  }
  await finishPage();
}

function message(row: TranscriptRow, ctx: TextWriteContext, labels: Labels): string {
  const r = toRecord(row as unknown as LogRow, ctx.clock, ctx.agents);
  const time = `<time datetime="${escapeHtml(r.time)}">${escapeHtml(r.localTime)}</time>`;
  if (r.direction === 'system') {
    return `<div class="m system"><div class="b">${escapeHtml(r.text)} · ${time}</div></div>\n`;
  }
  const who = r.direction === 'buyer' ? r.buyerNick : (r.agent ?? labels.direction.agent);
  const body = r.type === 'order_card' && r.orderNo ? orderCard(row, labels) : `<div class="b">${escapeHtml(r.text)}</div>`;
  return `<div class="m ${r.direction}"><div class="who">${escapeHtml(who)} ${time}</div>${body}</div>\n`;
}

function orderCard(row: TranscriptRow, labels: Labels): string {
  let items: { title: string; sku: string; priceCents: number; quantity: number }[] = [];
  try {
    items = JSON.parse(row[LOG.orderItems] ?? '[]') as typeof items;
  } catch {
    items = [];
  }
  const orderStatus = row[LOG.orderStatus];
  const amount = row[LOG.orderAmountCents];
  const status = orderStatus ? labels.orderStatus[orderStatus] : '';
  const lines = items
    .map(
      (i) =>
        `<li>${escapeHtml(i.title)} <span class="meta">${escapeHtml(i.sku)}</span> ×${Number(i.quantity)} ${yuan(Number(i.priceCents))}</li>`,
    )
    .join('');
  return (
    `<div class="card"><div class="h">${escapeHtml(labels.columns.orderNo)} ${escapeHtml(row[LOG.orderNo] ?? '')}${status ? ` · ${escapeHtml(status)}` : ''}</div>` +
    `${lines ? `<ul>${lines}</ul>` : ''}` +
    `${amount === null ? '' : `<div class="f">${escapeHtml(labels.transcript.amount)} ${yuan(amount)}</div>`}</div>`
  );
}
