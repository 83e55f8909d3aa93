import type { Migration } from './index';

/**
 * Each processed mutation remembers where its record sits in the change feed (`seq`), so a repeated
 * push can answer "applied at seq N" and a replica knows when its cursor has covered it.
 */
export const m0004MutationSeq: Migration = {
  version: 4,
  name: 'mutation-seq',
  up(db) {
    db.exec('ALTER TABLE mutations ADD COLUMN seq INTEGER;');
  },
};
