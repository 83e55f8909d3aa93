import { AppError } from '../../shared/contract/errors';
import { phraseProblems, PHRASE_LIMITS } from '../../shared/domain/phraseRules';
import type { AgentRole, PickerPhrase, ReplyGroup, ReplyScope } from '../../shared/domain/types';
import { LEADS } from '../../shared/domain/roles';

export type Actor = { id: string; role: AgentRole };
import type { EventBus } from '../platform/eventBus';
import type { Store } from '../store';
import type { ReplyGroupRow } from '../store/replies';
import type { Clock } from './conversations';
import { replySearchKeys } from './demo/replySearchKeys';

/**
 * The phrase library (短语库): team phrases (shared, owner '') and each agent's personal ones, in
 * groups. Every write is one transaction, recomputes the phrase's search keys, and is announced so
 * every picker updates without a restart.
 */
export function replyLibraryService(store: Store, events: EventBus, now: Clock) {
  const ownerOf = (scope: ReplyScope, agentId: string) => (scope === 'team' ? '' : agentId);

  /** Everyone keeps their own phrases; the team's are kept by supervisors and the owner. */
  function mayWrite(scope: ReplyScope, actor: Actor): void {
    if (scope === 'team' && !LEADS.includes(actor.role)) throw new AppError('unauthorized', 'team phrases are kept by supervisors and the shop owner');
  }

  function announce(): void {
    events.emit('replies.changed', {});
    events.emit('sync.poked', { head: store.changes.head() });
  }

  function groupFor(agentId: string, groupId: string): ReplyGroupRow {
    const group = store.replies.group(groupId);
    if (!group || (group.scope === 'personal' && group.owner !== agentId)) throw new AppError('not_found', `no phrase group ${groupId}`);
    return group;
  }

  function toGroup(g: ReplyGroupRow): ReplyGroup {
    return { id: g.id, scope: g.scope, name: g.name, sort: g.sort };
  }

  return {
    /** Creates or edits a phrase. The shortcut code must be unique within its scope. */
    savePhrase(args: { id: string; groupId: string; code: string; title: string; content: string }, actor: Actor): PickerPhrase {
      const agentId = actor.id;
      const problems = phraseProblems(args);
      if (problems.length > 0) throw new AppError('invalid_argument', problems.map((p) => `${p.field}: ${p.rule}`).join(', '), { problems });
      const saved = store.tx(() => {
        const group = groupFor(agentId, args.groupId);
        mayWrite(group.scope, actor);
        const owner = ownerOf(group.scope, agentId);
        if (store.replies.codeTakenBy(group.scope, owner, args.code, args.id)) {
          throw new AppError('conflict', `the shortcut code ${args.code} is taken`, { problems: [{ field: 'code', rule: 'taken' }] });
        }
        const at = now();
        const existing = store.replies.reply(args.id);
        if (existing && (existing.scope !== group.scope || existing.owner !== owner)) {
          throw new AppError('conflict', 'a phrase keeps its scope; copy it to the other library instead');
        }
        const row = {
          id: args.id,
          scope: group.scope,
          owner,
          group_id: group.id,
          code: args.code,
          title: args.title,
          content: args.content,
          search_keys: replySearchKeys(args),
          use_count: existing?.use_count ?? 0,
          last_used_at: existing?.last_used_at ?? null,
          sort: existing && existing.group_id === group.id ? existing.sort : store.replies.nextSort(group.id),
          created_at: existing?.created_at ?? at,
          updated_at: at,
        };
        if (existing) store.replies.update(row);
        else store.replies.insert(row);
        return store.replies.forPicker(agentId).phrases.find((p) => p.id === args.id) as PickerPhrase;
      });
      announce();
      return saved;
    },

    deletePhrase(id: string, actor: Actor): null {
      const agentId = actor.id;
      store.tx(() => {
        const row = store.replies.reply(id);
        if (!row || (row.scope === 'personal' && row.owner !== agentId)) throw new AppError('not_found', `no phrase ${id}`);
        mayWrite(row.scope, actor);
        store.replies.remove(id, now());
      });
      announce();
      return null;
    },

    /** Moves a phrase to a group (of the same scope) at a position. */
    movePhrase(args: { id: string; groupId: string; index: number }, actor: Actor): null {
      const agentId = actor.id;
      store.tx(() => {
        const row = store.replies.reply(args.id);
        const group = groupFor(agentId, args.groupId);
        if (!row || (row.scope === 'personal' && row.owner !== agentId)) throw new AppError('not_found', `no phrase ${args.id}`);
        if (row.scope !== group.scope) throw new AppError('conflict', 'a phrase moves within its own library (team or personal)');
        mayWrite(row.scope, actor);
        store.replies.move(args.id, group.id, args.index, now());
      });
      announce();
      return null;
    },

    /** Creates a group, or renames one. Names are unique within a library. */
    saveGroup(args: { id: string; scope: ReplyScope; name: string }, actor: Actor): ReplyGroup {
      const agentId = actor.id;
      mayWrite(args.scope, actor);
      const name = args.name.trim();
      if (!name || Array.from(name).length > PHRASE_LIMITS.group) throw new AppError('invalid_argument', `a group name has 1 to ${PHRASE_LIMITS.group} characters`);
      const group = store.tx(() => {
        const owner = ownerOf(args.scope, agentId);
        const same = store.replies.groupByName(args.scope, owner, name);
        if (same && same.id !== args.id) throw new AppError('conflict', `there is already a group ${name}`);
        const existing = store.replies.group(args.id);
        const at = now();
        if (existing) {
          groupFor(agentId, args.id);
          store.replies.renameGroup(args.id, name, at);
        } else {
          store.replies.insertGroup({ id: args.id, scope: args.scope, owner, name, sort: store.replies.groupsOf(args.scope, owner).length, created_at: at });
        }
        return toGroup(store.replies.group(args.id) as ReplyGroupRow);
      });
      announce();
      return group;
    },

    deleteGroup(id: string, actor: Actor): null {
      const agentId = actor.id;
      store.tx(() => {
        mayWrite(groupFor(agentId, id).scope, actor);
        store.replies.removeGroup(id, now());
      });
      announce();
      return null;
    },

    moveGroup(id: string, index: number, actor: Actor): null {
      const agentId = actor.id;
      store.tx(() => {
        mayWrite(groupFor(agentId, id).scope, actor);
        store.replies.moveGroup(id, index, now());
      });
      announce();
      return null;
    },
  };
}
