import crypto from 'node:crypto';

/** The header every webhook delivery carries: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const SIGNATURE_HEADER = 'x-jiedai-signature';
/** A receiver should refuse a delivery signed longer ago than this (a replayed capture). */
export const SIGNATURE_TOLERANCE_S = 300;

/** `v1`: hex(HMAC-SHA256(secret, `${t}.${body}`)) over the exact bytes of the body. */
export function signatureOf(secret: string, t: number, body: string): string {
  return crypto.createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
}

export function signatureHeader(secret: string, t: number, body: string): string {
  return `t=${t},v1=${signatureOf(secret, t, body)}`;
}

/**
 * What a receiver does with a delivery (documented in the README; the tests' receiver uses it): the
 * header parses, its time is within the tolerance of the receiver's clock, and one `v1` matches the
 * body in constant time. Any other case is false: forged, altered, stale.
 */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string,
  nowMs: number,
  toleranceS = SIGNATURE_TOLERANCE_S,
): boolean {
  if (!header) return false;
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowMs / 1000 - t) > toleranceS) return false;
  const expected = Buffer.from(signatureOf(secret, t, body), 'hex');
  return parts
    .filter(([k, v]) => k === 'v1' && typeof v === 'string' && /^[0-9a-f]{64}$/.test(v))
    .some(([, v]) => crypto.timingSafeEqual(expected, Buffer.from(v!, 'hex')));
}
