import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inspectDataFile } from './fileCheck';
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
