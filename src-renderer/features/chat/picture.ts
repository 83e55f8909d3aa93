import { IMAGE_MAX_BYTES, IMAGE_MAX_SIDE, sniffImage, type ImageMime } from '../../../shared/domain/images';

/** A picture waiting in the composer: its bytes as base64, checked here as the core will check them. */
export type PendingPicture = { base64: string; mime: ImageMime; width: number; height: number; bytes: number; url: string };

export type PictureRefusal = 'pictureType' | 'pictureSize' | 'pictureSide' | 'pictureRead';

function readBytes(file: Blob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsArrayBuffer(file);
  });
}

export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x8000) out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(out);
}

/**
 * A file the agent pasted, dropped or picked, read and checked by its bytes (the name and the type
 * the browser claims count for nothing): PNG, JPEG, GIF or WebP, at most 5 MB and 8000 px a side.
 * Too large is refused before it is read.
 */
export async function readPicture(file: Blob): Promise<PendingPicture | PictureRefusal> {
  if (file.size > IMAGE_MAX_BYTES) return 'pictureSize';
  let bytes: Uint8Array;
  try {
    bytes = await readBytes(file);
  } catch {
    return 'pictureRead';
  }
  return pictureOf(bytes);
}

export function pictureOf(bytes: Uint8Array): PendingPicture | PictureRefusal {
  if (bytes.length > IMAGE_MAX_BYTES) return 'pictureSize';
  const sniffed = sniffImage(bytes);
  if (!sniffed) return 'pictureType';
  if (sniffed.width > IMAGE_MAX_SIDE || sniffed.height > IMAGE_MAX_SIDE) return 'pictureSide';
  const base64 = toBase64(bytes);
  return { ...sniffed, base64, bytes: bytes.length, url: `data:${sniffed.mime};base64,${base64}` };
}

/** The first picture-like file of a paste or a drop (files, or clipboard items of kind file). */
export function fileOf(data: DataTransfer | null): File | null {
  if (!data) return null;
  const files = Array.from(data.files ?? []);
  if (files.length > 0) return files[0]!;
  for (const item of Array.from(data.items ?? [])) {
    if (item.kind === 'file') {
      const f = item.getAsFile();
      if (f) return f;
    }
  }
  return null;
}
