import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chosenDataDir, parseShellArgs } from './shellArgs';

const cwd = path.resolve('/home/agent');

describe('parseShellArgs', () => {
  it('reads --data-dir as a folder relative to where the app was started', () => {
    expect(parseShellArgs(['/opt/electron', '.', '--data-dir', 'shop-a'], cwd).dataDir).toBe(path.join(cwd, 'shop-a'));
    expect(parseShellArgs(['--data-dir=/srv/shop'], cwd).dataDir).toBe(path.resolve('/srv/shop'));
  });

  it('turns the demo buyers off with --no-demo-buyers', () => {
    expect(parseShellArgs(['--no-demo-buyers'], cwd).demoBuyers).toEqual({ enabled: false });
  });

  it('sets the demo interval with --demo-interval', () => {
    expect(parseShellArgs(['--demo-interval', '1500'], cwd).demoBuyers).toEqual({ enabled: true, intervalMs: 1500 });
  });

  it('ignores what is not ours: the app path, Chromium switches, macOS process serial numbers', () => {
    const args = parseShellArgs(['/usr/bin/electron', '/src/jiedai', '--enable-logging', '-psn_0_12345', '--inspect=9229'], cwd);
    expect(args).toEqual({ errors: [] });
  });

  it('reports a --data-dir without a folder instead of using the next flag as one', () => {
    const args = parseShellArgs(['--data-dir', '--no-demo-buyers'], cwd);
    expect(args.dataDir).toBeUndefined();
    expect(args.errors).toEqual(['--data-dir needs a folder']);
    expect(args.demoBuyers).toEqual({ enabled: false });
  });

  it('reports a demo interval that is not a whole number of at least 200 ms', () => {
    expect(parseShellArgs(['--demo-interval=50'], cwd).errors).toHaveLength(1);
    expect(parseShellArgs(['--demo-interval', 'soon'], cwd).errors).toHaveLength(1);
  });
});

describe('chosenDataDir', () => {
  it('prefers --data-dir, then JIEDAI_DATA_DIR, else leaves Electron userData in place', () => {
    const withFlag = parseShellArgs(['--data-dir', '/a'], cwd);
    expect(chosenDataDir(withFlag, { JIEDAI_DATA_DIR: '/b' }, cwd)).toBe(path.resolve('/a'));
    expect(chosenDataDir({ errors: [] }, { JIEDAI_DATA_DIR: 'rel' }, cwd)).toBe(path.join(cwd, 'rel'));
    expect(chosenDataDir({ errors: [] }, {}, cwd)).toBeUndefined();
  });
});
