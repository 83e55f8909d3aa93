import { AppError } from '../../shared/contract/errors';
import { phraseProblems, PHRASE_LIMITS } from '../../shared/domain/phraseRules';
import { libraryFor, requireWrite, visible, type Caller } from '../../shared/domain/policy';
import type { PickerPhrase, ReplyGroup, ReplyScope } from '../../shared/domain/types';
import type { EventBus } from '../platform/eventBus';
import type { Store } from '../store';
import type { ReplyGroupRow } from '../store/replies';
import type { Clock } from './conversations';
import { replySearchKeys } from './demo/replySearchKeys';

/**
 * The phrase library (短语库): team phrases (shared, owner '') and each agent's personal ones, in
 * groups. Every write is one transaction, recomputes the phrase's search keys, and is announced so
 * every picker updates without a restart. Who may write what is the policy's (shared/domain/policy.ts),
 * asked with the rows as stored: a phrase or group keeps the library it was made in, whatever scope
 * a later call names.
 */
export function replyLibraryService(store: Store, events: EventBus, now: Clock) {
  function announce(): void {
    events.emit('phrases.changed', {});
    events.emit('sync.poked', { head: store.changes.head() });
  }

  function toGroup(g: ReplyGroupRow): ReplyGroup {
    return { id: g.id, scope: g.scope, name: g.name, sort: g.sort };
  }

  return {
    /** Creates or edits a phrase. The shortcut code must be unique within its scope. */
    savePhrase(args: { id: string; groupId: string; code: string; title: string; content: string }, caller: Caller): PickerPhrase {
      const { agentId } = caller;
      const problems = phraseProblems(args);
      if (problems.length > 0) throw new AppError('invalid_argument', problems.map((p) => `${p.field}: ${p.rule}`).join(', '), { problems });
      const saved = store.tx(() => {
        const group = requireWrite(caller, store.replies.group(args.groupId), `phrase group ${args.groupId}`);
        const existing = store.replies.reply(args.id);
        if (existing) requireWrite(caller, existing, `phrase ${args.id}`);
        const { owner } = group;
        if (store.replies.codeTakenBy(group.scope, owner, args.code, args.id)) {
          throw new AppError('conflict', `the shortcut code ${args.code} is taken`, { problems: [{ field: 'code', rule: 'taken' }] });
        }
        const at = now();
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

    deletePhrase(id: string, caller: Caller): null {
      store.tx(() => {
        requireWrite(caller, store.replies.reply(id), `phrase ${id}`);
        store.replies.remove(id, now());
      });
      announce();
      return null;
    },

    /** Moves a phrase to a group (of the same scope) at a position. */
    movePhrase(args: { id: string; groupId: string; index: number }, caller: Caller): null {
      store.tx(() => {
        const row = requireWrite(caller, store.replies.reply(args.id), `phrase ${args.id}`);
        const group = visible(caller, store.replies.group(args.groupId), `phrase group ${args.groupId}`);
        if (row.scope !== group.scope || row.owner !== group.owner) throw new AppError('conflict', 'a phrase moves within its own library (team or personal)');
        store.replies.move(args.id, group.id, args.index, now());
      });
      announce();
      return null;
    },

    /**
     * Creates a group, or renames one. Names are unique within a library. A rename is checked
     * against the group as stored: its library, not the scope the call names, decides who may.
     */
    saveGroup(args: { id: string; scope: ReplyScope; name: string }, caller: Caller): ReplyGroup {
      const name = args.name.trim();
      if (!name || Array.from(name).length > PHRASE_LIMITS.group) throw new AppError('invalid_argument', `a group name has 1 to ${PHRASE_LIMITS.group} characters`);
      const group = store.tx(() => {
        const existing = store.replies.group(args.id);
        const library = requireWrite(caller, existing ?? libraryFor(caller, args.scope), `phrase group ${args.id}`);
        if (library.scope !== args.scope) throw new AppError('conflict', 'a phrase group keeps its library (team or personal)');
        const same = store.replies.groupByName(library.scope, library.owner, name);
        if (same && same.id !== args.id) throw new AppError('conflict', `there is already a group ${name}`, { problems: [{ field: 'name', rule: 'taken' }] });
        const at = now();
        if (existing) store.replies.renameGroup(args.id, name, at);
        else store.replies.insertGroup({ id: args.id, ...library, name, sort: store.replies.groupsOf(library.scope, library.owner).length, created_at: at });
        return toGroup(store.replies.group(args.id) as ReplyGroupRow);
      });
      announce();
      return group;
    },

    deleteGroup(id: string, caller: Caller): null {
      store.tx(() => {
        requireWrite(caller, store.replies.group(id), `phrase group ${id}`);
        store.replies.removeGroup(id, now());
      });
      announce();
      return null;
    },

    moveGroup(id: string, index: number, caller: Caller): null {
      store.tx(() => {
        requireWrite(caller, store.replies.group(id), `phrase group ${id}`);
        store.replies.moveGroup(id, index, now());
      });
      announce();
      return null;
    },
  };
}
