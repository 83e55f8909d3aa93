import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layering lint is an allowlist (eslint/layers.mjs): each probe below is a file that a folder must
 * not hold, linted as if it stood there; each must fail with the layering rule, and each allowed
 * probe must pass. A rule that stopped working would let one of these through.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId !== '@typescript-eslint/no-unused-vars').map((m) => `${m.ruleId}: ${m.message}`);
}

const violations: [string, string, string][] = [
  ['the replica imports zustand', 'src-renderer/db/probe.ts', "import { create } from 'zustand';\nexport const x = create;"],
  ['a service imports the core', 'src-main/services/probe.ts', "import { Core } from '../core/core';\nexport const x = Core;"],
  [
    'a service imports the host',
    'src-main/services/probe.ts',
    "import { startHost } from '../host/hostServer';\nexport const x = startHost;",
  ],
  [
    'the store imports a service',
    'src-main/store/probe.ts',
    "import { conversationService } from '../services/conversations';\nexport const x = conversationService;",
  ],
  ['shared imports exceljs', 'shared/domain/probe.ts', "import ExcelJS from 'exceljs';\nexport const x = ExcelJS;"],
  ['shared imports a Node built-in', 'shared/domain/probe.ts', "import fs from 'node:fs';\nexport const x = fs;"],
  ['shared imports the main side', 'shared/domain/probe.ts', "import { Core } from '../../src-main/core/core';\nexport const x = Core;"],
  ['a component calls window.jiedai', 'src-renderer/features/chat/Probe.tsx', 'export const x = () => window.jiedai;'],
  ['a component imports Dexie', 'src-renderer/features/chat/Probe.tsx', "import Dexie from 'dexie';\nexport const x = Dexie;"],
  [
    'a component imports src-main',
    'src-renderer/features/chat/Probe.tsx',
    "import { Core } from '../../../src-main/core/core';\nexport const x = Core;",
  ],
  ['a component imports a Node built-in', 'src-renderer/features/chat/Probe.tsx', "import fs from 'node:fs';\nexport const x = fs;"],
  [
    'the state imports a feature',
    'src-renderer/state/probe.ts',
    "import { Composer } from '../features/chat/Composer';\nexport const x = Composer;",
  ],
  [
    'the state imports the replica',
    'src-renderer/state/probe.ts',
    "import { ReplicaDb } from '../db/replicaDb';\nexport const x = ReplicaDb;",
  ],
  ['the client imports React features', 'src-renderer/ipc/probe.ts', "import { Desk } from '../app/Desk';\nexport const x = Desk;"],
  ['the host imports better-sqlite3', 'src-main/host/probe.ts', "import Database from 'better-sqlite3';\nexport const x = Database;"],
  [
    'the host imports a service',
    'src-main/host/probe.ts',
    "import { conversationService } from '../services/conversations';\nexport const x = conversationService;",
  ],
  [
    'the hub imports a service',
    'src-main/hub/probe.ts',
    "import { accountService } from '../services/accounts';\nexport const x = accountService;",
  ],
  ['the hub imports better-sqlite3', 'src-main/hub/probe.ts', "import Database from 'better-sqlite3';\nexport const x = Database;"],
  ['the core imports the hub', 'src-main/core/probe.ts', "import { startHub } from '../hub/hubServer';\nexport const x = startHub;"],
  ['the core imports electron', 'src-main/core/probe.ts', "import { app } from 'electron';\nexport const x = app;"],
  ['the core imports the shell', 'src-main/core/probe.ts', "import { startHost } from '../host/hostServer';\nexport const x = startHost;"],
  ['the store imports exceljs', 'src-main/store/probe.ts', "import ExcelJS from 'exceljs';\nexport const x = ExcelJS;"],
  ['an unknown package anywhere', 'src-main/services/probe.ts', "import leftPad from 'left-pad';\nexport const x = leftPad;"],
  ['a re-export that reaches up', 'src-main/store/probe.ts', "export { Core } from '../core/core';"],
  ['a dynamic import that reaches up', 'src-main/store/probe.ts', "export const x = () => import('../core/core');"],
  [
    'the CLI calls a service instead of the contract',
    'src-main/cli/commands/probe.ts',
    "import { importReplies } from '../../services/replyImport';\nexport const x = importReplies;",
  ],
  ['the core logs with console', 'src-main/core/probe.ts', "export const x = () => console.error('failed');"],
  ['a component logs with console', 'src-renderer/features/chat/Probe.tsx', "export const x = () => console.log('here');"],
  ['shared logs with console', 'shared/domain/probe.ts', "export const x = () => console.warn('odd');"],
  [
    'a component imports ECharts',
    'src-renderer/features/reports/Probe.tsx',
    "import * as echarts from 'echarts/core';\nexport const x = echarts;",
  ],
  [
    'the charts import all of ECharts',
    'src-renderer/features/reports/charts/Probe.tsx',
    "import * as echarts from 'echarts';\nexport const x = echarts;",
  ],
];

const allowed: [string, string, string][] = [
  [
    'a component reads the replica through the db hooks',
    'src-renderer/features/chat/Probe.tsx',
    "import { useLiveQuery } from '../../db';\nexport const x = useLiveQuery;",
  ],
  ['the replica uses Dexie', 'src-renderer/db/probe.ts', "import Dexie from 'dexie';\nexport const x = Dexie;"],
  ['the state uses zustand', 'src-renderer/state/probe.ts', "import { create } from 'zustand';\nexport const x = create;"],
  ['a service uses the store', 'src-main/services/probe.ts', "import { openStore } from '../store';\nexport const x = openStore;"],
  ['the store uses better-sqlite3', 'src-main/store/probe.ts', "import Database from 'better-sqlite3';\nexport const x = Database;"],
  [
    "the hub reuses the host's socket sessions",
    'src-main/hub/probe.ts',
    "import { startSession } from '../host/socketSession';\nexport const x = startSession;",
  ],
  ['shared uses zod', 'shared/domain/probe.ts', "import { z } from 'zod';\nexport const x = z;"],
  [
    'the core logs through its logger',
    'src-main/core/probe.ts',
    "import { createLogger } from '../platform/log';\nexport const x = () => createLogger('core').error('failed');",
  ],
  [
    'the reports draw with the parts of ECharts they use',
    'src-renderer/features/reports/charts/Probe.tsx',
    "import { use } from 'echarts/core';\nimport { LineChart } from 'echarts/charts';\nexport const x = () => use([LineChart]);",
  ],
  ['the renderer logger writes the console', 'src-renderer/ipc/log.ts', "export const x = () => console.error('failed');"],
];

describe('the layering lint', () => {
  for (const [what, file, code] of violations) {
    it(`fails when ${what}`, async () => {
      const found = await problems(file, code);
      expect(
        found.some((p) => p.startsWith('layers/allowed-imports') || p.startsWith('no-restricted-') || p.startsWith('no-console')),
        `${file}: ${found.join('; ')}`,
      ).toBe(true);
    });
  }
  for (const [what, file, code] of allowed) {
    it(`passes when ${what}`, async () => {
      expect(await problems(file, code)).toEqual([]);
    });
  }
});
