import type { Store } from '../store';
import type { ConversationService } from '../services/conversations';
import type { CustomerService } from '../services/customers';
import type { Handlers } from './router';
import { orderNoteService } from '../services/orderNotes';
import { quickReplyService } from '../services/quickReplies';
import { replyLibraryService } from '../services/replyLibrary';
import { replyImportService } from '../services/replyImport';
import { AppError } from '../../shared/contract/errors';
import { requireRole } from '../../shared/domain/policy';
import type { Clock } from '../services/conversations';
import type { RedLineService } from '../services/redLines';

type Deps = { store: Store; now: Clock; conversations: ConversationService; customers: CustomerService; redLines?: RedLineService };

type DeskMethod =
  | 'conversations.end'
  | 'agents.setState'
  | 'tags.list'
  | 'tags.create'
  | 'customers.addTag'
  | 'customers.removeTag'
  | 'groups.list'
  | 'groups.create'
  | 'customers.setGroup'
  | 'customers.setRemark'
  | 'orders.setNotes'
  | 'orders.memoHistory'
  | 'replies.forPicker'
  | 'replies.markUsed'
  | 'replies.save'
  | 'replies.delete'
  | 'replies.move'
  | 'replyGroups.save'
  | 'replyGroups.delete'
  | 'replyGroups.move'
  | 'replies.importPreview'
  | 'replies.importCommit'
  | 'replies.export';

/** Handlers of the desk's tools (tags, groups, order notes, quick replies and their library, agent state): thin, over the services. */
export function createDeskHandlers({ store, now, conversations, customers, redLines }: Deps): Pick<Handlers, DeskMethod> {
  const orders = orderNoteService(store, now);
  const replies = quickReplyService(store, now);
  const library = replyLibraryService(store, now, redLines ? () => redLines.matcher() : undefined);
  const transfer = replyImportService(store);
  return {
    'conversations.end': ({ conversationId }) => conversations.end(conversationId),
    'agents.setState': ({ state }, ctx) => {
      store.agents.setState(ctx.agentId, state);
      const agent = store.agents.get(ctx.agentId);
      if (!agent) throw new AppError('not_found', `no agent ${ctx.agentId}`);
      return agent;
    },
    'tags.list': () => customers.tags(),
    'tags.create': (args) => customers.createTag(args),
    'customers.addTag': ({ customerId, tagId }) => customers.addTag(customerId, tagId),
    'customers.removeTag': ({ customerId, tagId }) => customers.removeTag(customerId, tagId),
    'groups.list': () => customers.groups(),
    'groups.create': (args) => customers.createGroup(args),
    'customers.setGroup': ({ customerId, groupId }) => customers.setGroup(customerId, groupId),
    'customers.setRemark': ({ customerId, remark }) => customers.setRemark(customerId, remark),
    'orders.setNotes': (args, ctx) => orders.setNotes(args, ctx.agentId),
    'orders.memoHistory': ({ orderId }) => orders.memoHistory(orderId),
    'replies.forPicker': (_args, ctx) => replies.forPicker(ctx.agentId),
    'replies.markUsed': ({ replyId }) => replies.markUsed(replyId),
    'replies.save': (args, ctx) => library.savePhrase(args, ctx),
    'replies.delete': ({ id }, ctx) => library.deletePhrase(id, ctx),
    'replies.move': (args, ctx) => library.movePhrase(args, ctx),
    'replyGroups.save': (args, ctx) => library.saveGroup(args, ctx),
    'replyGroups.delete': ({ id }, ctx) => library.deleteGroup(id, ctx),
    'replyGroups.move': ({ id, index }, ctx) => library.moveGroup(id, index, ctx),
    'replies.importPreview': (args, ctx) => {
      requireRole(ctx, 'importReplies');
      return transfer.importFile(args, ctx.agentId, false);
    },
    'replies.importCommit': (args, ctx) => {
      requireRole(ctx, 'importReplies');
      return transfer.importFile(args, ctx.agentId, true);
    },
    'replies.export': ({ format }, ctx) => transfer.exportFile(format, ctx.agentId),
  };
}
