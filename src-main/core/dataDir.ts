import os from 'node:os';
import path from 'node:path';

/**
 * Where the shop's data lives when no `--data-dir` is given: the same folder Electron calls `userData`
 * for an app named Jiedai, so the desktop app, browser mode and the CLI see one shop.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.JIEDAI_DATA_DIR) return env.JIEDAI_DATA_DIR;
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Jiedai');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Jiedai');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Jiedai');
}
