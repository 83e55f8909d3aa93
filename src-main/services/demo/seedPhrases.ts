import type { PhraseScope } from '../../../shared/domain/types';
import { PERSONAL_GROUP, PERSONAL_PHRASES, TEAM_GROUPS, TEAM_PHRASES, type PhraseData } from './data/phrases';
import { phraseSearchKeys } from '../phrases/searchKeys';
import { DAY, type SeedContext } from './seedContext';
import { localDay } from '../../../shared/domain/reports/clock';
import { shopTimeZone, ZonedClock } from '../logExport/timeZone';

/** Days a demo phrase's uses are spread over, ending on the day it was last used. */
const USE_SPREAD_DAYS = 7;

function writeGroup(ctx: SeedContext, scope: PhraseScope, owner: string, name: string, sort: number, phrases: readonly PhraseData[]): void {
  const { store, rnd, now } = ctx;
  const groupId = ctx.ids();
  const createdAt = now - 120 * DAY;
  store.phrases.insertGroup({ id: groupId, scope, owner, name, sort, created_at: createdAt });
  const clock = new ZonedClock(shopTimeZone(store));
  phrases.forEach((p, i) => {
    // Well-used phrases, so "most used first" has something to sort.
    const useCount = rnd.chance(0.8) ? rnd.int(1, 400) : 0;
    const id = ctx.ids();
    const lastUsedAt = useCount > 0 ? now - rnd.int(1, 14 * 24 * 60) * 60_000 : null;
    store.phrases.insert({
      id,
      scope,
      owner,
      group_id: groupId,
      code: p.code,
      title: p.title,
      content: p.content,
      search_keys: phraseSearchKeys(p),
      use_count: useCount,
      last_used_at: lastUsedAt,
      sort: i,
      created_at: createdAt,
      updated_at: createdAt + rnd.int(0, 60) * DAY,
    });
    // The same uses per day (the reports' period view), evenly over the week up to the last use.
    if (lastUsedAt !== null) {
      const last = localDay(lastUsedAt, clock);
      for (let k = 0; k < USE_SPREAD_DAYS; k++) {
        const share = Math.floor(useCount / USE_SPREAD_DAYS) + (k < useCount % USE_SPREAD_DAYS ? 1 : 0);
        store.phrases.addUseDay(id, last - k, share);
      }
    }
  });
}

/** The team's phrase groups (售前 售中 物流 催付 售后) with their phrases, and the desk agent's own. */
export function writePhrases(ctx: SeedContext, deskAgentId: string): void {
  TEAM_GROUPS.forEach((name, sort) => writeGroup(ctx, 'team', '', name, sort, TEAM_PHRASES[name]));
  writeGroup(ctx, 'personal', deskAgentId, PERSONAL_GROUP, 0, PERSONAL_PHRASES);
}
