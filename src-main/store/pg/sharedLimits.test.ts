import { afterAll, describe, expect, test } from 'vitest';
import { openPgStore } from './index';
import { HubDatabaseLink } from './sharedLimits';
import { freshPgDatabase, pgUnavailable, startPgWorkerForTests } from './testing';

const why = pgUnavailable();
if (why) process.stderr.write(`skipping the shared limits tests: ${why}\n`);

describe.skipIf(why !== null)("the widget's shared token buckets (issue 14)", () => {
  const closers: (() => unknown)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  test('two links on one database take from one bucket: the burst, a wait, the refill, keys apart', async () => {
    const url = freshPgDatabase('buckets');
    // The schema (hub_rate_limits) comes with the store's migrations.
    openPgStore(url, startPgWorkerForTests).close();
    const one = new HubDatabaseLink(url);
    const two = new HubDatabaseLink(url);
    closers.push(
      () => one.close(),
      () => two.close(),
    );
    const bucket = { capacity: 3, perSecond: 0.5 };
    const t = 1_000_000;
    // Three from the burst, alternating links; the fourth waits for the next token (2 s apart).
    expect(await one.take('visitor:v1', bucket, t)).toBe(0);
    expect(await two.take('visitor:v1', bucket, t)).toBe(0);
    expect(await one.take('visitor:v1', bucket, t)).toBe(0);
    expect(await two.take('visitor:v1', bucket, t)).toBe(2_000);
    expect(await one.take('visitor:v1', bucket, t + 500)).toBe(1_500);
    // A refused take costs nothing: the token is there when it said.
    expect(await two.take('visitor:v1', bucket, t + 2_000)).toBe(0);
    expect(await one.take('visitor:v1', bucket, t + 2_000)).toBe(2_000);
    // Another key has its own bucket.
    expect(await two.take('visitor:v2', bucket, t + 2_000)).toBe(0);
    // Long quiet: full again, never more than the burst.
    const later = t + 60_000;
    for (let i = 0; i < 3; i++) expect(await (i % 2 ? one : two).take('visitor:v1', bucket, later)).toBe(0);
    expect(await one.take('visitor:v1', bucket, later)).toBeGreaterThan(0);
  });
});
