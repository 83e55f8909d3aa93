import type { PhraseScope } from '../../../shared/domain/types';
import { PERSONAL_GROUP, PERSONAL_PHRASES, TEAM_GROUPS, TEAM_PHRASES, type PhraseData } from './data/phrases';
import { phraseSearchKeys } from '../phrases/searchKeys';
import { DAY, type SeedContext } from './seedContext';

function writeGroup(ctx: SeedContext, scope: PhraseScope, owner: string, name: string, sort: number, phrases: readonly PhraseData[]): void {
  const { store, rnd, now } = ctx;
  const groupId = ctx.ids();
  const createdAt = now - 120 * DAY;
  store.phrases.insertGroup({ id: groupId, scope, owner, name, sort, created_at: createdAt });
  phrases.forEach((p, i) => {
    // Well-used phrases, so "most used first" has something to sort.
    const useCount = rnd.chance(0.8) ? rnd.int(1, 400) : 0;
    store.phrases.insert({
      id: ctx.ids(),
      scope,
      owner,
      group_id: groupId,
      code: p.code,
      title: p.title,
      content: p.content,
      search_keys: phraseSearchKeys(p),
      use_count: useCount,
      last_used_at: useCount > 0 ? now - rnd.int(1, 14 * 24 * 60) * 60_000 : null,
      sort: i,
      created_at: createdAt,
      updated_at: createdAt + rnd.int(0, 60) * DAY,
    });
  });
}

/** The team's phrase groups (售前 售中 物流 催付 售后) with their phrases, and the desk agent's own. */
export function writePhrases(ctx: SeedContext, deskAgentId: string): void {
  TEAM_GROUPS.forEach((name, sort) => writeGroup(ctx, 'team', '', name, sort, TEAM_PHRASES[name]));
  writeGroup(ctx, 'personal', deskAgentId, PERSONAL_GROUP, 0, PERSONAL_PHRASES);
}
