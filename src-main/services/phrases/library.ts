import { AppError } from '../../../shared/contract/errors';
import { phraseProblems, PHRASE_LIMITS } from '../../../shared/domain/phraseRules';
import { libraryFor, requireWrite, visible, type Caller } from '../../../shared/domain/policy';
import type { PhraseImage, PickerPhrase, PhraseGroup, PhraseScope } from '../../../shared/domain/types';
import type { Store } from '../../store';
import type { PhraseGroupRow } from '../../store/phrases';
import type { Clock } from '../conversations';
import { phraseSearchKeys } from './searchKeys';
import type { RedLineMatcher } from '../../../shared/domain/redLines/matcher';
import { checkRedLines } from '../redLines';

/**
 * The phrase library (短语库): team phrases (shared, owner '') and each agent's personal ones, in
 * groups. Every write is one transaction, recomputes the phrase's search keys, and its commit pokes
 * every desk (the change feed), so every picker updates without a restart. Who may write what is the policy's (shared/domain/policy.ts),
 * asked with the rows as stored: a phrase or group keeps the library it was made in, whatever scope
 * a later call names.
 */
/** Where phrases' pictures are checked and kept (the chats' picture files: src-main/services/channels/images.ts). */
export type PhrasePictures = {
  check(bytes: Uint8Array): { hash: string; mime: PhraseImage['mime']; width: number; height: number };
  write(hash: string, bytes: Uint8Array): void;
  read(hash: string): Buffer;
};

export function phraseLibraryService(store: Store, now: Clock, redLines?: () => RedLineMatcher, pictures?: PhrasePictures) {
  /** The picture of a save: absent keeps it, null takes it off, bytes are checked and kept by hash. */
  function pictureOf(image: { base64: string } | null | undefined): string | null | undefined {
    if (image === undefined || image === null) return image;
    if (!pictures) throw new AppError('unavailable', 'pictures cannot be kept here');
    const bytes = Buffer.from(image.base64, 'base64');
    const checked = pictures.check(bytes);
    pictures.write(checked.hash, bytes);
    const stored: PhraseImage = {
      hash: checked.hash,
      mime: checked.mime,
      width: checked.width,
      height: checked.height,
      bytes: bytes.length,
    };
    return JSON.stringify(stored);
  }

  function toGroup(g: PhraseGroupRow): PhraseGroup {
    return { id: g.id, scope: g.scope, name: g.name, sort: g.sort };
  }

  return {
    /**
     * Creates or edits a phrase. The shortcut code must be unique within its scope. A phrase holding a
     * red-line word is refused (`conflict`, details.redLines naming the words); a supervisor or the
     * owner may save it anyway with `confirmRedLines`.
     */
    savePhrase(
      args: {
        id: string;
        groupId: string;
        code: string;
        title: string;
        content: string;
        confirmRedLines?: boolean | undefined;
        image?: { base64: string } | null | undefined;
      },
      caller: Caller,
    ): PickerPhrase {
      const { agentId } = caller;
      const problems = phraseProblems(args);
      if (problems.length > 0)
        throw new AppError('invalid_argument', problems.map((p) => `${p.field}: ${p.rule}`).join(', '), { problems });
      if (redLines) checkRedLines(redLines(), [args.title, args.content], caller, args.confirmRedLines);
      const image = pictureOf(args.image);
      return store.tx(() => {
        const group = requireWrite(caller, store.phrases.group(args.groupId), `phrase group ${args.groupId}`);
        const existing = store.phrases.phrase(args.id);
        if (existing) requireWrite(caller, existing, `phrase ${args.id}`);
        const { owner } = group;
        if (store.phrases.codeTakenBy(group.scope, owner, args.code, args.id)) {
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
          search_keys: phraseSearchKeys(args),
          use_count: existing?.use_count ?? 0,
          last_used_at: existing?.last_used_at ?? null,
          sort: existing && existing.group_id === group.id ? existing.sort : store.phrases.nextSort(group.id),
          created_at: existing?.created_at ?? at,
          updated_at: at,
          ...(image === undefined ? {} : { image }),
        };
        if (existing) store.phrases.update(row);
        else store.phrases.insert(row);
        return store.phrases.forPicker(agentId).phrases.find((p) => p.id === args.id) as PickerPhrase;
      });
    },

    /** A phrase's picture, for whoever may see the phrase (another agent's personal one is `not_found`). */
    image(phraseId: string, caller: Caller): { mime: string; base64: string; width: number; height: number } {
      const row = visible(caller, store.phrases.phrase(phraseId), `phrase ${phraseId}`);
      if (!row.image || !pictures) throw new AppError('not_found', 'this phrase has no picture');
      const image = JSON.parse(row.image) as PhraseImage;
      return { mime: image.mime, base64: pictures.read(image.hash).toString('base64'), width: image.width, height: image.height };
    },

    deletePhrase(id: string, caller: Caller): null {
      store.tx(() => {
        requireWrite(caller, store.phrases.phrase(id), `phrase ${id}`);
        store.phrases.remove(id, now());
      });
      return null;
    },

    /** Moves a phrase to a group (of the same scope) at a position. */
    movePhrase(args: { id: string; groupId: string; index: number }, caller: Caller): null {
      store.tx(() => {
        const row = requireWrite(caller, store.phrases.phrase(args.id), `phrase ${args.id}`);
        const group = visible(caller, store.phrases.group(args.groupId), `phrase group ${args.groupId}`);
        if (row.scope !== group.scope || row.owner !== group.owner)
          throw new AppError('conflict', 'a phrase moves within its own library (team or personal)');
        store.phrases.move(args.id, group.id, args.index, now());
      });
      return null;
    },

    /**
     * Creates a group, or renames one. Names are unique within a library. A rename is checked
     * against the group as stored: its library, not the scope the call names, decides who may.
     */
    saveGroup(args: { id: string; scope: PhraseScope; name: string }, caller: Caller): PhraseGroup {
      const name = args.name.trim();
      if (!name || Array.from(name).length > PHRASE_LIMITS.group)
        throw new AppError('invalid_argument', `a group name has 1 to ${PHRASE_LIMITS.group} characters`);
      const group = store.tx(() => {
        const existing = store.phrases.group(args.id);
        const library = requireWrite(caller, existing ?? libraryFor(caller, args.scope), `phrase group ${args.id}`);
        if (library.scope !== args.scope) throw new AppError('conflict', 'a phrase group keeps its library (team or personal)');
        const same = store.phrases.groupByName(library.scope, library.owner, name);
        if (same && same.id !== args.id)
          throw new AppError('conflict', `there is already a group ${name}`, { problems: [{ field: 'name', rule: 'taken' }] });
        const at = now();
        if (existing) store.phrases.renameGroup(args.id, name, at);
        else
          store.phrases.insertGroup({
            id: args.id,
            ...library,
            name,
            sort: store.phrases.groupsOf(library.scope, library.owner).length,
            created_at: at,
          });
        return toGroup(store.phrases.group(args.id) as PhraseGroupRow);
      });
      return group;
    },

    deleteGroup(id: string, caller: Caller): null {
      store.tx(() => {
        requireWrite(caller, store.phrases.group(id), `phrase group ${id}`);
        store.phrases.removeGroup(id, now());
      });
      return null;
    },

    moveGroup(id: string, index: number, caller: Caller): null {
      store.tx(() => {
        requireWrite(caller, store.phrases.group(id), `phrase group ${id}`);
        store.phrases.moveGroup(id, index, now());
      });
      return null;
    },
  };
}
