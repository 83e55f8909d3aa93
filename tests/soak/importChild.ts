/**
 * A child process for the kill test: opens the shop's file as the core does, with a small page cache
 * so a big transaction spills pages into the WAL before it commits (what a large import on a large
 * shop does), then imports a file in one transaction and exits. The parent watches the WAL grow and
 * kills this process in the middle of the transaction.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DATA_FILE } from '../../src-main/core/core';
import { importPhrases } from '../../src-main/services/phrases/files';
import { openStore } from '../../src-main/store';

const [dataDir, file] = process.argv.slice(2) as [string, string];
const store = openStore(path.join(dataDir, DATA_FILE));
store.db.pragma('cache_size = 40');
const agentId = store.settings.get<string>('currentAgentId', '');
const report = await importPhrases(store, path.basename(file), fs.readFileSync(file), {
  commit: true,
  scope: 'team',
  mode: 'merge',
  skipInvalid: false,
  lang: 'en',
  agentId,
});
store.close();
process.stdout.write(`${report.outcome}\n`);
