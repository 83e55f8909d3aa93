import type { MatchRange } from '../../../shared/contract/search';

/** Text with the matched ranges in <mark>: React text children only, never HTML. */
export function Highlighted({ text, ranges }: { text: string; ranges: MatchRange[] }) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at || end > text.length || start >= end) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
