import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyStoreError, faultContractError } from './faults';
import { openStore } from './index';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function file(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-faults-'));
  dirs.push(dir);
  return path.join(dir, 'jiedai.sqlite');
}
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('store faults', () => {
  it('names a write into a full file (SQLITE_FULL) as full, a storage_full error', () => {
    const store = openStore(file());
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages}`);
    const error = thrown(() =>
      store.db.exec(
        `CREATE TABLE filler (x); INSERT INTO filler SELECT randomblob(4000) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 100) SELECT i FROM n);`,
      ),
    );
    store.close();
    expect(classifyStoreError(error)).toBe('full');
    expect(faultContractError('full')[0]).toBe('storage_full');
  });

  it('names a write through a read-only connection as read-only', () => {
    const f = file();
    openStore(f).close();
    const db = new Database(f, { readonly: true });
    const error = thrown(() => db.exec("INSERT INTO settings (key, value) VALUES ('x', '1')"));
    db.close();
    expect(classifyStoreError(error)).toBe('read_only');
  });

  it('names the operating system’s refusals and a foreign file', () => {
    const errno = (code: string) => Object.assign(new Error(code), { code });
    expect(classifyStoreError(errno('EROFS'))).toBe('read_only');
    expect(classifyStoreError(errno('EACCES'))).toBe('permission');
    expect(classifyStoreError(errno('ENOSPC'))).toBe('full');
    expect(classifyStoreError(errno('ENOTDIR'))).toBe('not_a_folder');
    expect(classifyStoreError(errno('SQLITE_CORRUPT_INDEX'))).toBe('damaged');
    expect(classifyStoreError(errno('SQLITE_BUSY'))).toBeNull();
    expect(classifyStoreError(new Error('plain'))).toBeNull();
  });
});
