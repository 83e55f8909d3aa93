import { spawn } from 'node:child_process';

/**
 * Opens a folder in the desktop's file manager (Finder, Explorer, the freedesktop default). The core
 * runs on the agent's own machine in both the Electron app and browser mode. Never throws: a machine
 * without a desktop (a server, CI) just answers false.
 */
export function revealFolder(folder: string, platform: NodeJS.Platform = process.platform): Promise<boolean> {
  const command = platform === 'darwin' ? 'open' : platform === 'win32' ? 'explorer' : 'xdg-open';
  return new Promise((resolve) => {
    try {
      const child = spawn(command, [folder], { detached: true, stdio: 'ignore' });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
