import type { Store } from '../store';
import type { ConversationService } from '../services/conversations';
import type { CustomerService } from '../services/customers';
import type { Handlers } from './router';
import { orderNoteService } from '../services/orderNotes';
import { phrasePickerService } from '../services/phrases/picker';
import { phraseLibraryService } from '../services/phrases/library';
import { phraseFileService } from '../services/phrases/files';
import type { ParsePhraseFile } from '../services/phrases/files/parsePhraseFile';
import { AppError } from '../../shared/contract/errors';
import { requireRole } from '../../shared/domain/policy';
import type { Clock } from '../services/conversations';
import type { RedLineService } from '../services/redLines';
import { checkImage, imageFiles } from '../services/channels/images';

type Deps = {
  store: Store;
  now: Clock;
  conversations: ConversationService;
  customers: CustomerService;
  redLines?: RedLineService;
  /** Where a phrase import's file is read and checked (the core's parse thread; inline when absent). */
  parsePhrases?: ParsePhraseFile | undefined;
  /** The data folder: phrases' pictures are kept in its `channel-files/` by hash. */
  dataDir: string;
};

type DeskMethod =
  | 'conversations.end'
  | 'conversations.reopen'
  | 'conversations.history'
  | 'agents.setState'
  | 'tags.list'
  | 'tags.create'
  | 'customers.addTag'
  | 'customers.removeTag'
  | 'customerGroups.list'
  | 'customerGroups.create'
  | 'customers.setGroup'
  | 'customers.setRemark'
  | 'orders.setNotes'
  | 'orders.memoHistory'
  | 'phrases.forPicker'
  | 'phrases.markUsed'
  | 'phrases.save'
  | 'phrases.image'
  | 'phrases.delete'
  | 'phrases.move'
  | 'phraseGroups.save'
  | 'phraseGroups.delete'
  | 'phraseGroups.move'
  | 'phrases.importPreview'
  | 'phrases.importCommit'
  | 'phrases.export';

/** Handlers of the desk's tools (tags, groups, order notes, phrases and their library, agent state): thin, over the services. */
export function createDeskHandlers(deps: Deps): Pick<Handlers, DeskMethod> {
  const { store, now, conversations, customers, redLines, parsePhrases } = deps;
  const orders = orderNoteService(store, now);
  const picker = phrasePickerService(store, now);
  const files = () => imageFiles(deps.dataDir);
  const library = phraseLibraryService(store, now, redLines ? () => redLines.matcher() : undefined, {
    check: checkImage,
    write: (hash, bytes) => files().write(hash, bytes),
    read: (hash) => files().read(hash),
  });
  const transfer = phraseFileService(store, parsePhrases);
  return {
    'conversations.end': ({ conversationId }) => conversations.end(conversationId),
    'conversations.reopen': ({ conversationId }, ctx) => conversations.reopen(conversationId, ctx.agentId),
    'conversations.history': ({ query, mine, customerId, before, limit }, ctx) =>
      conversations.history({
        query: query || null,
        agentId: mine ? ctx.agentId : null,
        customerId: customerId ?? null,
        before: before ?? null,
        limit,
      }),
    'agents.setState': ({ state }, ctx) => {
      store.tx(() => store.agents.setState(ctx.agentId, state, now()));
      const agent = store.agents.get(ctx.agentId);
      if (!agent) throw new AppError('not_found', `no agent ${ctx.agentId}`);
      return agent;
    },
    'tags.list': () => customers.tags(),
    'tags.create': (args) => customers.createTag(args),
    'customers.addTag': ({ customerId, tagId }) => customers.addTag(customerId, tagId),
    'customers.removeTag': ({ customerId, tagId }) => customers.removeTag(customerId, tagId),
    'customerGroups.list': () => customers.groups(),
    'customerGroups.create': (args) => customers.createGroup(args),
    'customers.setGroup': ({ customerId, groupId }) => customers.setGroup(customerId, groupId),
    'customers.setRemark': ({ customerId, remark }) => customers.setRemark(customerId, remark),
    'orders.setNotes': (args, ctx) => orders.setNotes(args, ctx.agentId),
    'orders.memoHistory': ({ orderId }) => orders.memoHistory(orderId),
    'phrases.forPicker': (_args, ctx) => picker.forPicker(ctx.agentId),
    'phrases.markUsed': ({ phraseId }) => picker.markUsed(phraseId),
    'phrases.save': (args, ctx) => library.savePhrase(args, ctx),
    'phrases.image': ({ phraseId }, ctx) => library.image(phraseId, ctx),
    'phrases.delete': ({ id }, ctx) => library.deletePhrase(id, ctx),
    'phrases.move': (args, ctx) => library.movePhrase(args, ctx),
    'phraseGroups.save': (args, ctx) => library.saveGroup(args, ctx),
    'phraseGroups.delete': ({ id }, ctx) => library.deleteGroup(id, ctx),
    'phraseGroups.move': ({ id, index }, ctx) => library.moveGroup(id, index, ctx),
    'phrases.importPreview': (args, ctx) => {
      requireRole(ctx, 'importPhrases');
      return transfer.importFile(args, ctx.agentId, false);
    },
    'phrases.importCommit': (args, ctx) => {
      requireRole(ctx, 'importPhrases');
      return transfer.importFile(args, ctx.agentId, true);
    },
    'phrases.export': ({ format }, ctx) => transfer.exportFile(format, ctx.agentId),
  };
}
