import type { RedLineMatch } from '../../../shared/domain/redLines/matcher';

export type Segment = { text: string; caught: boolean };

/** The text cut into plain and caught pieces (overlapping matches merged), for React text nodes. */
export function segments(text: string, matches: readonly RedLineMatch[]): Segment[] {
  const ranges = [...matches].sort((a, b) => a.start - b.start);
  const out: Segment[] = [];
  let at = 0;
  for (const m of ranges) {
    if (m.end <= at) continue;
    const start = Math.max(m.start, at);
    if (start > at) out.push({ text: text.slice(at, start), caught: false });
    out.push({ text: text.slice(start, m.end), caught: true });
    at = m.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), caught: false });
  return out;
}
