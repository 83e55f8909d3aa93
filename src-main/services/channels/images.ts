import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/contract/errors';

/** A buyer's image may be this large at most. */
export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;
/** Wider or taller than this is refused (a small file can claim a huge canvas that eats a viewer's memory). */
export const IMAGE_MAX_SIDE = 8000;

export type ImageMime = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
export type SniffedImage = { mime: ImageMime; width: number; height: number };

const u16be = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const u16le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const u24le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
const u32be = (b: Uint8Array, i: number) => ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;
const ascii = (b: Uint8Array, i: number, n: number) => String.fromCharCode(...b.subarray(i, i + n));

function png(b: Uint8Array): SniffedImage | null {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length < 33 || signature.some((v, i) => b[i] !== v) || ascii(b, 12, 4) !== 'IHDR') return null;
  return { mime: 'image/png', width: u32be(b, 16), height: u32be(b, 20) };
}

function gif(b: Uint8Array): SniffedImage | null {
  if (b.length < 13 || (ascii(b, 0, 6) !== 'GIF87a' && ascii(b, 0, 6) !== 'GIF89a')) return null;
  return { mime: 'image/gif', width: u16le(b, 6), height: u16le(b, 8) };
}

function jpeg(b: Uint8Array): SniffedImage | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8 || b[2] !== 0xff) return null;
  // Walk the segments to the first start-of-frame marker, which holds the size.
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    const length = u16be(b, i + 2);
    if (length < 2) return null;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return { mime: 'image/jpeg', width: u16be(b, i + 7), height: u16be(b, i + 5) };
    i += 2 + length;
  }
  return null;
}

function webp(b: Uint8Array): SniffedImage | null {
  if (b.length < 30 || ascii(b, 0, 4) !== 'RIFF' || ascii(b, 8, 4) !== 'WEBP') return null;
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ' && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a)
    return { mime: 'image/webp', width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  if (chunk === 'VP8L' && b[20] === 0x2f) {
    const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
    return { mime: 'image/webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') return { mime: 'image/webp', width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  return null;
}

/**
 * What a file is, read from its bytes (never its name or the type a client claims): PNG, JPEG, GIF
 * or WebP with a plausible size, or null. An SVG, an HTML page named .png, a truncated header: null.
 */
export function sniffImage(bytes: Uint8Array): SniffedImage | null {
  const found = png(bytes) ?? jpeg(bytes) ?? gif(bytes) ?? webp(bytes);
  if (!found || found.width < 1 || found.height < 1) return null;
  return found;
}

/** Checks a buyer's upload: its size, its content, its canvas. Refusals are `invalid_argument` / `limit_exceeded`. */
export function checkImage(bytes: Uint8Array): SniffedImage & { hash: string } {
  if (bytes.length === 0) throw new AppError('invalid_argument', 'the image is empty');
  if (bytes.length > IMAGE_MAX_BYTES) throw new AppError('limit_exceeded', `an image is at most ${IMAGE_MAX_BYTES / 1024 / 1024} MB`);
  const sniffed = sniffImage(bytes);
  if (!sniffed) throw new AppError('invalid_argument', 'this file is not a PNG, JPEG, GIF or WebP image');
  if (sniffed.width > IMAGE_MAX_SIDE || sniffed.height > IMAGE_MAX_SIDE)
    throw new AppError('invalid_argument', `an image is at most ${IMAGE_MAX_SIDE} pixels on a side`);
  return { ...sniffed, hash: crypto.createHash('sha256').update(bytes).digest('hex') };
}

/**
 * Buyers' images on disk, outside the database: `<dataDir>/channel-files/ab/<sha256>`, written once
 * (the same picture twice is one file), through a temporary name so a crash leaves no half file.
 */
export function imageFiles(dataDir: string) {
  const root = path.join(dataDir, 'channel-files');
  const where = (hash: string) => {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new AppError('invalid_argument', 'not an image hash');
    return path.join(root, hash.slice(0, 2), hash);
  };
  return {
    write(hash: string, bytes: Uint8Array): void {
      const file = where(hash);
      if (fs.existsSync(file)) return;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
      fs.writeFileSync(temp, bytes, { mode: 0o600 });
      fs.renameSync(temp, file);
    },
    read(hash: string): Buffer {
      try {
        return fs.readFileSync(where(hash));
      } catch {
        throw new AppError('not_found', 'the image file is missing');
      }
    },
  };
}
