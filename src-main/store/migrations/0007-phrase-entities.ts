import type { Migration } from './index';

/**
 * The change feed names quick phrases `phrase` and their groups `phrase_group` (they were `reply` and
 * `reply_group`), so the feed speaks the contract's one word for them (sync protocol 2). The tables
 * keep their names (`replies`, `reply_groups`): renaming them buys nothing a reader of the feed sees.
 */
export const m0007PhraseEntities: Migration = {
  version: 7,
  name: 'phrase-entities',
  up(db) {
    db.exec(`
      UPDATE changes SET entity = 'phrase' WHERE entity = 'reply';
      UPDATE changes SET entity = 'phrase_group' WHERE entity = 'reply_group';
    `);
  },
};
