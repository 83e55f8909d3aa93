// A child process that imports a file into a data folder and says when it starts writing; the
// parent test kills it there (SIGKILL, as a crash or a power cut would) to check the store.
import fs from 'node:fs';
import path from 'node:path';
import { importReplies } from '../../../src-main/services/replyImport';
import { openStore } from '../../../src-main/store';

const [dataFile, file] = process.argv.slice(2) as [string, string];
const store = openStore(dataFile);
await importReplies(store, path.basename(file), fs.readFileSync(file), {
  scope: 'team',
  mode: 'merge',
  skipInvalid: false,
  lang: 'zh-CN',
  agentId: '',
  commit: true,
  onPhase: (phase) => {
    if (phase === 'write') process.stdout.write('writing\n');
  },
});
process.stdout.write('committed\n');
store.close();
