import crypto from 'node:crypto';
import type { Store } from '../../store';

const SECRET_KEY = 'channels.imageLinkSecret';
/** A picture's link in a webhook works this long: longer than a delivery's day of retries. */
export const IMAGE_LINK_TTL_MS = 3 * 24 * 3_600_000;

/**
 * Links to a chat's pictures for webhook receivers (issue 13): `/api/v1/images/<message id>?exp=<unix
 * s>&sig=<hex HMAC-SHA256(hub secret, id + "." + exp)>`. Anyone holding the link may fetch the picture
 * until it expires, as with a signed storage URL; a bridge with a `full` token may fetch any picture
 * without one. The secret is the hub's own, made on first use.
 */
export function imageLinks(store: Store, now: () => number) {
  function secret(): Buffer {
    let value = store.settings.get<string>(SECRET_KEY, '');
    if (!value) {
      value = crypto.randomBytes(32).toString('base64url');
      store.tx(() => store.settings.set(SECRET_KEY, value));
    }
    return Buffer.from(value, 'base64url');
  }
  const sign = (messageId: string, exp: number) => crypto.createHmac('sha256', secret()).update(`${messageId}.${exp}`).digest('hex');

  return {
    /** The path of a signed link (the shell puts the hub's public address before it when it has one). */
    path(messageId: string): { path: string; expiresAt: number } {
      const exp = Math.floor((now() + IMAGE_LINK_TTL_MS) / 1000);
      return { path: `/api/v1/images/${encodeURIComponent(messageId)}?exp=${exp}&sig=${sign(messageId, exp)}`, expiresAt: exp * 1000 };
    },
    /** Whether a link's signature is the hub's and it has not expired. */
    verify(messageId: string, exp: number, sig: string): boolean {
      if (!/^[0-9a-f]{64}$/.test(sig) || exp * 1000 < now()) return false;
      const want = Buffer.from(sign(messageId, exp), 'hex');
      const got = Buffer.from(sig, 'hex');
      return got.length === want.length && crypto.timingSafeEqual(got, want);
    },
  };
}

export type ImageLinks = ReturnType<typeof imageLinks>;
