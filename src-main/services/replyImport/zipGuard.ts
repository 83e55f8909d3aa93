import { ImportError } from './errors';

/** Past this an .xlsx is refused before it is unpacked (a 20 MB file of text unpacks to far less). */
export const MAX_UNPACKED_BYTES = 200 * 1024 * 1024;
const MAX_ENTRIES = 10_000;

/**
 * Reads a zip's central directory (without unpacking anything) and refuses archives that would
 * unpack too large: a zip bomb is stopped here, not inside the XLSX reader.
 */
export function checkZip(data: Buffer): void {
  const EOCD = 0x06054b50;
  let end = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (data.readUInt32LE(i) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ImportError('unreadable', { detail: 'zip: no end of central directory' });
  const entries = data.readUInt16LE(end + 10);
  const dirSize = data.readUInt32LE(end + 12);
  const dirOffset = data.readUInt32LE(end + 16);
  if (entries > MAX_ENTRIES || dirOffset + dirSize > data.length) throw new ImportError('unreadable', { detail: 'zip: bad central directory' });
  let at = dirOffset;
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== 0x02014b50) throw new ImportError('unreadable', { detail: 'zip: bad entry' });
    const compressed = data.readUInt32LE(at + 20);
    const size = data.readUInt32LE(at + 24);
    if (size === 0xffffffff || compressed === 0xffffffff) throw new ImportError('too_large_unpacked', { limitMb: MAX_UNPACKED_BYTES / 1024 / 1024 });
    total += size;
    if (total > MAX_UNPACKED_BYTES) throw new ImportError('too_large_unpacked', { limitMb: MAX_UNPACKED_BYTES / 1024 / 1024 });
    at += 46 + data.readUInt16LE(at + 28) + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
  }
}
