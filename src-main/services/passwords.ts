import crypto from 'node:crypto';

/**
 * Password hashes with scrypt (memory-hard; node:crypto's own), stored self-describing as
 * `scrypt$N$r$p$salt$hash` (salt and hash base64url) so the cost can rise later without a migration:
 * a hash is checked with the parameters it was made with.
 */
export const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

/** Parameters a stored hash may name: enough for any cost we would choose, bounded against a crafted row. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

function derive(password: string, salt: Buffer, N: number, r: number, p: number, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // 128·N·r bytes of memory: room above Node's 32 MiB default for N = 2^15, r = 8.
    crypto.scrypt(password.normalize('NFC'), salt, keyLength, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength, saltLength } = SCRYPT;
  const salt = crypto.randomBytes(saltLength);
  const key = await derive(password, salt, N, r, p, keyLength);
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

function parse(stored: string) {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64url');
  const hash = Buffer.from(parts[5]!, 'base64url');
  const power = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  if (!power || N > MAX_N || !Number.isInteger(r) || r < 1 || r > MAX_R || !Number.isInteger(p) || p < 1 || p > MAX_P) return null;
  if (salt.length < 8 || hash.length < 16 || hash.length > 64) return null;
  return { N, r, p, salt, hash };
}

/** A stored hash to spend the same work on when the account does not exist (or has no password). */
let decoy: Promise<string> | undefined;

/**
 * Whether the password matches the stored hash (constant-time compare of the derived keys). With no
 * hash (an unknown account, a demo account without a password) the same work is done against a
 * decoy, so the time taken does not tell which accounts exist.
 */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const parsed = stored ? parse(stored) : null;
  if (!parsed) {
    decoy ??= hashPassword(crypto.randomBytes(16).toString('hex'));
    const d = parse(await decoy)!;
    await derive(password, d.salt, d.N, d.r, d.p, d.hash.length);
    return false;
  }
  const key = await derive(password, parsed.salt, parsed.N, parsed.r, parsed.p, parsed.hash.length);
  return crypto.timingSafeEqual(key, parsed.hash);
}

/** A session token (32 random bytes, base64url) and what the store keeps of it. */
export function newToken(): { token: string; hash: string } {
  const token = crypto.randomBytes(32).toString('base64url');
  return { token, hash: tokenHash(token) };
}

export function tokenHash(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}
