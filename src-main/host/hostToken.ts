import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const TOKEN_FILE = 'browser-mode.token';

/**
 * The desks' token for a data folder: made once and kept in the folder (readable by its owner only),
 * so a host restarted on the same folder and port takes back the desks it had, which reconnect and
 * send what they queued. Whoever can read the folder can read the shop's database anyway.
 * `renew` makes a new one: every open page's address is then out of date and says so.
 */
export function hostToken(dataDir: string, options: { renew?: boolean } = {}): string {
  const file = path.join(dataDir, TOKEN_FILE);
  if (!options.renew) {
    try {
      const kept = fs.readFileSync(file, 'utf8').trim();
      if (/^[A-Za-z0-9_-]{32,128}$/.test(kept)) return kept;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const token = crypto.randomBytes(24).toString('base64url');
  fs.mkdirSync(dataDir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${token}\n`, { mode: 0o600 });
  fs.renameSync(temp, file);
  return token;
}
