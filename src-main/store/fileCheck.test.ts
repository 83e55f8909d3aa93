import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLEAN_CLOSE_MARK, inspectDataFile, quickCheck } from './fileCheck';
import { closeShop, openShop } from '../core/openShop';
import { StoreFaultError } from './faults';
import { damagePages, writeShopFile } from './testing';

const dirs: string[] = [];
function tmp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-check-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('the check of the data file at start', () => {
  it('calls a missing file a first start', () => {
    expect(inspectDataFile(path.join(tmp(), 'jiedai.sqlite'))).toEqual({ state: 'missing' });
  });

  it('passes a sound shop file', () => {
    const file = path.join(tmp(), 'jiedai.sqlite');
    writeShopFile(file);
    expect(inspectDataFile(file)).toEqual({ state: 'ok' });
  });

  it('calls a 0-byte file damaged (empty), never a first start', () => {
    const file = path.join(tmp(), 'jiedai.sqlite');
    fs.writeFileSync(file, '');
    expect(inspectDataFile(file)).toMatchObject({ state: 'damaged', reason: 'empty' });
  });

  it('calls a file of other bytes not a database', () => {
    const file = path.join(tmp(), 'jiedai.sqlite');
    fs.writeFileSync(file, '这不是数据库'.repeat(1000));
    expect(inspectDataFile(file)).toMatchObject({ state: 'damaged', reason: 'not_sqlite' });
  });

  it('finds pages overwritten in the middle of the file with the quick check', () => {
    const file = path.join(tmp(), 'jiedai.sqlite');
    writeShopFile(file);
    damagePages(file);
    const found = inspectDataFile(file);
    expect(found).toMatchObject({ state: 'damaged', reason: 'corrupt' });
    expect(found.state === 'damaged' && found.detail).toBeTruthy();
  });
});

describe('the clean-close mark (a start skips the quick check of a file left as its clean close left it)', () => {
  const shop = () => {
    const dataDir = tmp();
    const file = path.join(dataDir, 'jiedai.sqlite');
    const mark = path.join(dataDir, CLEAN_CLOSE_MARK);
    closeShop(openShop({ dataDir, file, keepBackups: 0 }), dataDir, file);
    return { dataDir, file, mark };
  };

  it('is written at a clean close and taken away when the file is opened again (a crash then leaves none)', () => {
    const { dataDir, file, mark } = shop();
    expect(fs.existsSync(mark)).toBe(true);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    const store = openShop({ dataDir, file, keepBackups: 0 });
    expect(fs.existsSync(mark)).toBe(false);
    store.close(); // as a crash would: no mark
    expect(fs.existsSync(mark)).toBe(false);
  });

  it('still finds pages overwritten after the clean close (the file is no longer as it was left)', () => {
    const { dataDir, file, mark } = shop();
    expect(fs.existsSync(mark)).toBe(true);
    damagePages(file);
    let thrown: unknown = null;
    try {
      openShop({ dataDir, file, keepBackups: 0 }).close();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StoreFaultError);
    expect((thrown as StoreFaultError).kind).toBe('damaged');
    expect((thrown as StoreFaultError).damage).toMatchObject({ reason: 'corrupt' });
  });

  it('is not trusted beside a write-ahead log, nor when another connection still has the file open', () => {
    const { dataDir, file, mark } = shop();
    fs.writeFileSync(`${file}-wal`, Buffer.alloc(4096, 1));
    damagePages(file);
    expect(() => openShop({ dataDir, file, keepBackups: 0 }).close()).toThrow(StoreFaultError);
    expect(fs.existsSync(mark)).toBe(false);
  });

  it('skips the quick check for a file exactly as left (shown by damage hidden under the same size and time)', () => {
    const { dataDir, file, mark } = shop();
    const left = JSON.parse(fs.readFileSync(mark, 'utf8')) as { mtimeMs: number };
    damagePages(file);
    // Half a millisecond in: the seconds a number gives are not exact in nanoseconds.
    fs.utimesSync(file, new Date(), (left.mtimeMs + 0.5) / 1000);
    // Not found by the quick check (which names what it found: `damage`). The open either does not
    // touch a damaged page or SQLite reports it there (a `damaged` fault without the check's finding:
    // the recovery screen all the same); the check itself would have found it.
    try {
      closeShop(openShop({ dataDir, file, keepBackups: 0 }), dataDir, file);
    } catch (error) {
      expect(error).toBeInstanceOf(StoreFaultError);
      expect((error as StoreFaultError).kind).toBe('damaged');
      expect((error as StoreFaultError).damage).toBeNull();
    }
    expect(quickCheck(file)).not.toBeNull();
  });

  it('is not trusted when it was written in the same tick of the clock as the file (a later write could keep that time)', () => {
    const { dataDir, file, mark } = shop();
    const left = JSON.parse(fs.readFileSync(mark, 'utf8')) as { mtimeMs: number };
    damagePages(file);
    // The file as left, by its size and time, but the mark no later than it: the check runs.
    fs.utimesSync(file, new Date(), (left.mtimeMs + 0.5) / 1000);
    fs.utimesSync(mark, new Date(), (left.mtimeMs + 0.5) / 1000);
    expect(() => openShop({ dataDir, file, keepBackups: 0 }).close()).toThrow(StoreFaultError);
  });
});
