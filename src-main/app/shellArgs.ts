import path from 'node:path';

export type ShellArgs = {
  /** `--data-dir DIR` (absolute). */
  dataDir?: string;
  /** `--no-demo-buyers` and `--demo-interval MS`, as the core's override. */
  demoBuyers?: { enabled: boolean; intervalMs?: number };
  /** Flags we recognised but could not use, as sentences for the user. */
  errors: string[];
};

/**
 * Reads the desk's own flags out of Electron's argv. Unlike the CLI this is lenient: argv also
 * carries the executable, the app path in development, Chromium switches and macOS's `-psn_…`,
 * which are not ours to reject. Flags: --data-dir DIR, --no-demo-buyers, --demo-interval MS.
 */
export function parseShellArgs(argv: readonly string[], cwd: string): ShellArgs {
  const result: ShellArgs = { errors: [] };
  let noDemo = false;
  let interval: number | undefined;

  let i = 0;
  /** The value of `--flag=value` or `--flag value` (a following `--…` is never taken as a value). */
  const valueOf = (flag: string): string | undefined => {
    const token = argv[i] ?? '';
    if (token.startsWith(`${flag}=`)) return token.slice(flag.length + 1);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) return undefined;
    i += 1;
    return next;
  };

  for (; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (token === '--data-dir' || token.startsWith('--data-dir=')) {
      const value = valueOf('--data-dir');
      if (!value) result.errors.push('--data-dir needs a folder');
      else result.dataDir = path.resolve(cwd, value);
    } else if (token === '--no-demo-buyers') {
      noDemo = true;
    } else if (token === '--demo-interval' || token.startsWith('--demo-interval=')) {
      const value = valueOf('--demo-interval');
      const ms = Number(value);
      if (value === undefined || !Number.isInteger(ms) || ms < 200)
        result.errors.push('--demo-interval must be a whole number of milliseconds ≥ 200');
      else interval = ms;
    }
  }

  if (noDemo) result.demoBuyers = { enabled: false };
  else if (interval !== undefined) result.demoBuyers = { enabled: true, intervalMs: interval };
  return result;
}

/**
 * The folder for a data dir chosen on the command line or in JIEDAI_DATA_DIR (as the CLI and
 * browser mode honour it), or undefined for Electron's userData. A chosen folder also becomes
 * userData, so the shop file and the window's replica (IndexedDB) always live together, and the
 * single-instance lock (kept per userData) lets two different shops run side by side.
 */
export function chosenDataDir(args: ShellArgs, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  if (args.dataDir) return args.dataDir;
  if (env.JIEDAI_DATA_DIR) return path.resolve(cwd, env.JIEDAI_DATA_DIR);
  return undefined;
}
