import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PORT_FILE, portPlan, rememberPort, rememberedPort } from './hostPort';

const dirs: string[] = [];
const folder = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-port-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe("a data folder's browser-mode port", () => {
  it('starts at 5180 (any free one if taken), then keeps the one it got', () => {
    const dir = folder();
    expect(portPlan(dir, undefined)).toEqual({ port: 5180, whenTaken: 'anyFree', kept: false });
    rememberPort(dir, 43117);
    expect(rememberedPort(dir)).toBe(43117);
    expect(portPlan(dir, undefined)).toEqual({ port: 43117, whenTaken: 'refuse', kept: true });
  });

  it('takes an asked port over the kept one, and refuses rather than moving when it is taken', () => {
    const dir = folder();
    rememberPort(dir, 43117);
    expect(portPlan(dir, 5200)).toEqual({ port: 5200, whenTaken: 'refuse', kept: false });
    expect(portPlan(dir, 0)).toEqual({ port: 0, whenTaken: 'refuse', kept: false });
  });

  it('ignores a file that does not hold a port', () => {
    const dir = folder();
    for (const junk of ['', 'abc', '0', '70000', '5180.5']) {
      fs.writeFileSync(path.join(dir, PORT_FILE), junk);
      expect(rememberedPort(dir)).toBeNull();
    }
  });
});
