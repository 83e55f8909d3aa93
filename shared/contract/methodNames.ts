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
  'app.badge',
  'tags.list',
  'tags.create',
  'customers.addTag',
  'customers.removeTag',
  'customerGroups.list',
  'customerGroups.create',
  'customers.setGroup',
  'customers.setRemark',
  'orders.setNotes',
  'orders.memoHistory',
  'phrases.forPicker',
  'phrases.markUsed',
  'phrases.save',
  'phrases.delete',
  'phrases.move',
  'phraseGroups.save',
  'phraseGroups.delete',
  'phraseGroups.move',
  'phrases.importPreview',
  'phrases.importCommit',
  'phrases.export',
  'logExport.preview',
  'logExport.start',
  'logExport.cancel',
  'logExport.list',
  'logExport.reveal',
  'logExport.download',
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
