import { isImageMime } from '../../../shared/domain/images';
import type { Client } from '../../ipc/client';

/** Phrases' pictures already fetched, by file hash (the same size chart in many phrases is one entry). */
const cache = new Map<string, { mime: string; base64: string }>();
const MAX_CACHED = 64;

/**
 * A phrase's picture (`phrases.image`): its bytes as base64 and a checked type, or null when it
 * cannot be had now (the hub out of reach, the phrase gone).
 */
export async function phraseImage(client: Client, phraseId: string, hash: string): Promise<{ mime: string; base64: string } | null> {
  const known = cache.get(hash);
  if (known) return known;
  const r = await client.call('phrases.image', { phraseId });
  if (!r.ok || !isImageMime(r.value.mime) || !/^[A-Za-z0-9+/]+={0,2}$/.test(r.value.base64)) return null;
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  const got = { mime: r.value.mime, base64: r.value.base64 };
  cache.set(hash, got);
  return got;
}
