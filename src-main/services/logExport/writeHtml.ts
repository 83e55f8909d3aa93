import type { ExportFilters } from '../../../shared/contract/exports';
import { LOG, type LogRow, type TranscriptRow } from '../../store';
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

/**
 * HTML transcripts: one self-contained printable page (inline style, no script, nothing fetched; a
 * Content-Security-Policy forbids both anyway) with the shop and the export time in the header, a
 * table of contents, then each conversation with buyer and agent bubbles, times, system lines and
 * order cards. Every text is escaped. Printing starts each conversation on a new page.
 */
export async function writeHtml(ctx: TextWriteContext, header: TranscriptHeader, count: { messages: number; conversations: number }): Promise<void> {
  const { out, pace, clock, filter } = ctx;
  const labels = LABELS[ctx.locale];
  const t = labels.transcript;
  const f = header.filters;
  const title = `${header.shopName} ${t.title} ${f.from} – ${f.to}`;

  const filterParts = [
    f.agents.length ? `${labels.columns.agent}: ${f.agents.join('、')}` : '',
    f.customers.length ? `${labels.columns.buyerNick}: ${f.customers.join('、')}` : '',
    f.tags.length ? `${t.tags}: ${f.tags.join('、')}` : '',
    f.groups.length ? `${t.groups}: ${f.groups.join('、')}` : '',
    f.keyword?.trim() ? `${t.keyword}: “${f.keyword.trim()}”` : '',
    f.directions.length ? `${labels.columns.direction}: ${f.directions.map((d) => labels.direction[d]).join('、')}` : '',
  ].filter(Boolean);

  out.write(`<!DOCTYPE html>
<html lang="${ctx.locale}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(header.shopName)} · ${escapeHtml(t.title)}</h1>
<p class="meta">${escapeHtml(t.exportedAt)}: ${escapeHtml(clock.local(header.exportedAt))} · ${escapeHtml(t.timeZone)}: ${escapeHtml(header.timeZone)}</p>
<p class="meta">${escapeHtml(t.range)}: ${escapeHtml(f.from)} – ${escapeHtml(f.to)} · ${count.conversations} ${escapeHtml(t.conversations)} · ${count.messages} ${escapeHtml(t.messages)}</p>
<p class="meta">${escapeHtml(t.filters)}: ${escapeHtml(filterParts.length ? filterParts.join(' · ') : t.none)}</p>
</header>
`);

  if (count.messages === 0) {
    out.write(`<p class="empty">${escapeHtml(t.empty)}</p>\n</body>\n</html>\n`);
    return;
  }

  out.write(`<nav>\n<h2>${escapeHtml(t.contents)}</h2>\n<ol>\n`);
  let listed = 0;
  for (const c of ctx.queries.conversations(filter)) {
    out.write(
      `<li><a href="#c-${escapeHtml(c.conversation_id)}">${escapeHtml(c.buyer_nick)}</a> · ${escapeHtml(c.agent_nick ?? '—')} · ` +
        `${escapeHtml(clock.local(c.first_at))} – ${escapeHtml(clock.local(c.last_at))} · ${c.messages} ${escapeHtml(t.messages)}</li>\n`,
    );
    if ((++listed & STEP_MASK) === 0) await pace.step();
  }
  out.write('</ol>\n</nav>\n<main>\n');

  let current: string | null = null;
  for (const row of ctx.queries.transcriptRows(filter)) {
    const conversationId = row[LOG.conversationId];
    if (conversationId !== current) {
      if (current !== null) out.write('</section>\n');
      current = conversationId;
      const agentId = row[LOG.conversationAgentId];
      const agent = (agentId !== null ? ctx.agents.get(agentId) : undefined) ?? '—';
      out.write(
        `<section class="conv" id="c-${escapeHtml(conversationId)}">\n<h2>${escapeHtml(row[LOG.buyerNick])} ` +
          `<small>${escapeHtml(t.agent)}: ${escapeHtml(agent)} · ${escapeHtml(t.conversation)} ${escapeHtml(conversationId)}</small></h2>\n`,
      );
    }
    out.write(message(row, ctx, labels));
    if ((++pace.done & STEP_MASK) === 0) await pace.step();
  }
  if (current !== null) out.write('</section>\n');
  out.write('</main>\n</body>\n</html>\n');
}

function message(row: TranscriptRow, ctx: TextWriteContext, labels: (typeof LABELS)[keyof typeof LABELS]): string {
  const r = toRecord(row as unknown as LogRow, ctx.clock, ctx.agents);
  const time = `<time datetime="${escapeHtml(r.time)}">${escapeHtml(r.localTime)}</time>`;
  if (r.direction === 'system') {
    return `<div class="m system"><div class="b">${escapeHtml(r.text)} · ${time}</div></div>\n`;
  }
  const who = r.direction === 'buyer' ? r.buyerNick : (r.agent ?? labels.direction.agent);
  const body = r.type === 'order_card' && r.orderNo ? orderCard(row, labels) : `<div class="b">${escapeHtml(r.text)}</div>`;
  return `<div class="m ${r.direction}"><div class="who">${escapeHtml(who)} ${time}</div>${body}</div>\n`;
}

function orderCard(row: TranscriptRow, labels: (typeof LABELS)[keyof typeof LABELS]): string {
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
    .map((i) => `<li>${escapeHtml(i.title)} <span class="meta">${escapeHtml(i.sku)}</span> ×${Number(i.quantity)} ${yuan(Number(i.priceCents))}</li>`)
    .join('');
  return (
    `<div class="card"><div class="h">${escapeHtml(labels.transcript.order)} ${escapeHtml(row[LOG.orderNo] ?? '')}${status ? ` · ${escapeHtml(status)}` : ''}</div>` +
    `${lines ? `<ul>${lines}</ul>` : ''}` +
    `${amount === null ? '' : `<div class="f">${escapeHtml(labels.transcript.amount)} ${yuan(amount)}</div>`}</div>`
  );
}
