/** Retry delays: doubling from `baseMs` to `maxMs`, with jitter so many desks do not retry in step. */
export function backoffDelay(attempt: number, random: () => number, baseMs = 250, maxMs = 10_000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
