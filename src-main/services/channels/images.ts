import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { IMAGE_MAX_BYTES, IMAGE_MAX_SIDE, sniffImage, type SniffedImage } from '../../../shared/domain/images';

export { IMAGE_MAX_BYTES, IMAGE_MAX_SIDE, sniffImage };

/** Checks a picture (a buyer's upload, an agent's reply, a phrase's): its size, its content, its canvas. Refusals are `invalid_argument` / `limit_exceeded`. */
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
    /** Whether the file is here (a phrase's picture synced without its file is not). */
    has(hash: string): boolean {
      return fs.existsSync(where(hash));
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
