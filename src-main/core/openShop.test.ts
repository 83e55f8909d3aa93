import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../store';
import { listBackups } from '../store/backups';
import { MIGRATIONS, SCHEMA_VERSION } from '../store/migrations';
import { writeOldSchemaFile } from '../store/testing';
import { StoreFaultError } from '../store/faults';
import { openShop } from './openShop';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-open-'));
  dirs.push(dir);
  return dir;
}
const userVersion = (file: string) => {
  const s = openStore(file, { readonly: true });
  try {
    return s.db.pragma('user_version', { simple: true });
  } finally {
    s.close();
  }
};

describe('opening the shop', () => {
  it('backs a file up before migrating it to a newer schema, and not when nothing is to migrate', () => {
    const dir = dataDir();
    const file = path.join(dir, 'jiedai.sqlite');
    // A file the previous release wrote: every migration but the last.
    const previous = MIGRATIONS[MIGRATIONS.length - 2]!.version;
    writeOldSchemaFile(file, previous);
    openShop({ dataDir: dir, file }).close();
    const [backup] = listBackups(dir);
    expect(backup?.reason).toBe('migration');
    expect(userVersion(backup!.file)).toBe(previous);
    expect(userVersion(file)).toBe(SCHEMA_VERSION);
    openShop({ dataDir: dir, file }).close();
    expect(listBackups(dir)).toHaveLength(1); // nothing to migrate: no second one
  });

  it('says a data folder that is a file is not a folder', () => {
    const dir = dataDir();
    const notDir = path.join(dir, 'a-file');
    fs.writeFileSync(notDir, 'x');
    const error = (() => {
      try {
        openShop({ dataDir: notDir, file: path.join(notDir, 'jiedai.sqlite') });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StoreFaultError);
    expect((error as StoreFaultError).kind).toBe('not_a_folder');
  });
});
