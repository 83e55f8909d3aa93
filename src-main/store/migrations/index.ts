import type Database from 'better-sqlite3';
import { m0001Initial } from './0001-initial';
import { m0002MessageSearch } from './0002-message-search';
import { m0003MessageSearchBatched } from './0003-message-search-batched';
import { m0004MutationSeq } from './0004-mutation-seq';
import { m0005Accounts } from './0005-accounts';
import { m0006MessageSearchShort } from './0006-message-search-short';
import { m0007PhraseEntities } from './0007-phrase-entities';
import { m0008RedLines } from './0008-red-lines';
import { m0009HubOutbox } from './0009-hub-outbox';
import { m0010Routing } from './0010-routing';
import { m0011Channels } from './0011-channels';
import { m0013Reports } from './0013-reports';
import { m0014Automation } from './0014-automation';
import { m0016Pictures } from './0016-pictures';
import { m0018PhraseUseDays } from './0018-phrase-use-days';
import { m0019PersonalConversations } from './0019-personal-conversations';
import { m0020FlashSale } from './0020-flash-sale';
import { m0021PersonalSync } from './0021-personal-sync';

export type Migration = { version: number; name: string; up: (db: Database.Database) => void };

/** Every migration in order. A migration is never edited once released: add the next number. */
export const MIGRATIONS: readonly Migration[] = [
  m0001Initial,
  m0002MessageSearch,
  m0003MessageSearchBatched,
  m0004MutationSeq,
  m0005Accounts,
  m0006MessageSearchShort,
  m0007PhraseEntities,
  m0008RedLines,
  m0009HubOutbox,
  m0010Routing,
  m0011Channels,
  m0013Reports,
  m0014Automation,
  m0016Pictures,
  m0018PhraseUseDays,
  m0019PersonalConversations,
  m0020FlashSale,
  m0021PersonalSync,
];

/**
 * The newest version. Numbers may skip (0012 is unused: branches that each added one were merged
 * side by side); `migrate` runs whatever lies between.
 */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Applies the migrations the file has not seen yet, each in its own IMMEDIATE transaction that reads
 * the version again after taking the write lock: two processes opening one old file at the same
 * moment run each migration once (the second finds it done) instead of failing half-way.
 */
export function migrate(db: Database.Database, target = SCHEMA_VERSION): number {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  const current = version();
  if (current > SCHEMA_VERSION) {
    throw new Error(`The data file has schema ${current}, newer than this app (${SCHEMA_VERSION}). Update Jiedai.`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      if (version() >= m.version) return;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
