import type { MethodName } from './methods';

/**
 * Every contract method's name, without the schemas: the sandboxed preload builds `window.jiedai`
 * from this list and so does not carry zod. The compiler keeps it equal to the contract: a name that
 * is not a method fails `satisfies`, and a method missing here fails `Exhaustive` below.
 */
export const METHOD_NAME_LIST = [
  'app.info',
  'conversations.list',
  'conversations.markRead',
  'messages.page',
  'messages.send',
  'customers.get',
  'orders.listByCustomer',
  'stats.counts',
  'demo.configureBuyers',
  'agents.list',
  'session.switchAgent',
  'conversations.end',
  'agents.setState',
  'tags.list',
  'tags.create',
  'customers.addTag',
  'customers.removeTag',
  'groups.list',
  'groups.create',
  'customers.setGroup',
  'customers.setRemark',
  'orders.setNotes',
  'orders.memoHistory',
  'replies.forPicker',
  'replies.markUsed',
  'replies.save',
  'replies.delete',
  'replies.move',
  'replyGroups.save',
  'replyGroups.delete',
  'replyGroups.move',
  'replies.importPreview',
  'replies.importCommit',
  'replies.export',
  'exports.preview',
  'exports.start',
  'exports.cancel',
  'exports.list',
  'exports.reveal',
  'exports.download',
  'sync.pull',
  'sync.push',
  'sync.snapshot',
  'recovery.status',
  'recovery.restoreBackup',
  'recovery.startEmpty',
  'auth.login',
  'auth.resume',
  'auth.logout',
  'accounts.list',
  'accounts.create',
  'accounts.disable',
  'accounts.setPassword',
  'demo.seedShop',
  'demo.seedHistory',
  'backups.create',
  'messages.search',
  'messages.around',
  // The platform's red lines (issue 16)
  'redLines.list',
  'redLines.save',
  'redLines.importPreview',
  'redLines.importCommit',
  'redLines.recordCatches',
] as const satisfies readonly MethodName[];

type Listed = (typeof METHOD_NAME_LIST)[number];
type Exhaustive<T extends never> = T;
/** Fails to compile when a contract method is missing from the list above. */
export type MissingMethodNames = Exhaustive<Exclude<MethodName, Listed>>;
