import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { ImportError } from './errors';

/**
 * What the parts of a workbook that are read (one sheet, its shared strings, styles, the workbook)
 * may unpack to together: 50,000 phrases of about 130 characters. Measured with the streaming reader
 * (readXlsx.ts), fresh process: such a sheet (32 MB of parts) reads in 115–155 MB of extra memory;
 * 40 MB took 150–215 MB (it varies with the collector), past the 200 MB an import may use.
 */
export const MAX_UNPACKED_BYTES = 32 * 1024 * 1024;
/** One entry's share of that (the sheet or the shared strings can be most of a workbook). */
export const MAX_ENTRY_BYTES = 24 * 1024 * 1024;
/** Deflate tops out near 1,030:1 (all zeros); text XML rarely passes 100:1, even repetitive sheets. */
export const MAX_RATIO = 400;
/** Below this an entry may be as compressible as it likes (a tiny entry cannot hurt). */
const RATIO_FREE_BYTES = 1024 * 1024;
const MAX_ENTRIES = 2_000;
const MAX_NAME_BYTES = 512;

const inflateRaw = promisify(zlib.inflateRaw) as (data: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>;

type Entry = { name: string; method: number; flags: number; crc: number; compressed: number; size: number; local: number };

const tooLarge = () => new ImportError('too_large_unpacked', { limitMb: MAX_UNPACKED_BYTES / 1024 / 1024 });
const damaged = (detail: string) => new ImportError('unreadable', { detail: `zip: ${detail}` });

/** The entries as the central directory lists them; nothing in them is trusted past "where to look". */
function directory(data: Buffer): Entry[] {
  const EOCD = 0x06054b50;
  let end = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (data.readUInt32LE(i) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) throw damaged('no end of central directory');
  const count = data.readUInt16LE(end + 10);
  const dirSize = data.readUInt32LE(end + 12);
  const dirOffset = data.readUInt32LE(end + 16);
  if (count > MAX_ENTRIES) throw damaged(`${count} entries`);
  if (dirOffset + dirSize > data.length) throw damaged('bad central directory');
  const entries: Entry[] = [];
  let at = dirOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== 0x02014b50) throw damaged('bad entry');
    const nameLength = data.readUInt16LE(at + 28);
    if (nameLength > MAX_NAME_BYTES || at + 46 + nameLength > data.length) throw damaged('bad entry name');
    entries.push({
      flags: data.readUInt16LE(at + 8),
      method: data.readUInt16LE(at + 10),
      crc: data.readUInt32LE(at + 16),
      compressed: data.readUInt32LE(at + 20),
      size: data.readUInt32LE(at + 24),
      local: data.readUInt32LE(at + 42),
      name: data.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
  }
  return entries;
}

/** The entry's compressed bytes, found through its local header and clamped to the file. */
function compressedBytes(data: Buffer, entry: Entry): Buffer {
  const at = entry.local;
  if (at + 30 > data.length || data.readUInt32LE(at) !== 0x04034b50) throw damaged(`bad local header for ${entry.name}`);
  const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
  if (start + entry.compressed > data.length) throw damaged(`${entry.name} runs past the end of the file`);
  return data.subarray(start, start + entry.compressed);
}

export type BoundedZip = {
  /** Entry names as the central directory lists them. */
  names: string[];
  /** One entry's bytes, inflated under what is left of the archive's budget; null when absent. */
  read(name: string): Promise<Buffer | null>;
};

/**
 * Opens a zip for reading entries under a running byte budget, never trusting the sizes it declares:
 * each inflate may produce at most what is left of the budget (and of the entry's and the ratio's
 * caps), so zlib stops the moment a bomb crosses it, whatever the headers said. A declared size too
 * large is believed (refused at once); one too small, or a wrong CRC, is a damaged file. Only the
 * entries asked for are inflated: the rest of the archive is never unpacked at all.
 */
export function openZip(data: Buffer): BoundedZip {
  const entries = new Map<string, Entry>();
  let declared = 0;
  for (const e of directory(data)) {
    if (entries.has(e.name)) throw damaged(`${e.name} appears twice`);
    entries.set(e.name, e);
    declared += e.size;
  }
  // Believed only when it refuses: an archive claiming more than the budget is a bomb or a liar.
  if (declared > MAX_UNPACKED_BYTES) throw tooLarge();
  let used = 0;
  return {
    names: [...entries.keys()],
    async read(name) {
      const entry = entries.get(name);
      if (!entry) return null;
      if (entry.flags & 0x1) throw damaged('encrypted');
      if (entry.size > Math.min(MAX_ENTRY_BYTES, MAX_UNPACKED_BYTES - used)) throw tooLarge();
      const raw = compressedBytes(data, entry);
      const cap = Math.min(MAX_ENTRY_BYTES, MAX_UNPACKED_BYTES - used, Math.max(RATIO_FREE_BYTES, raw.length * MAX_RATIO));
      let content: Buffer;
      if (entry.method === 0) {
        if (raw.length > cap) throw tooLarge();
        content = raw;
      } else if (entry.method === 8) {
        try {
          content = await inflateRaw(raw, { maxOutputLength: Math.max(1, cap) });
        } catch (error) {
          if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
          throw damaged(`${entry.name}: ${error instanceof Error ? error.message : 'inflate failed'}`);
        }
      } else throw damaged(`${entry.name}: compression method ${entry.method}`);
      if (content.length !== entry.size || zlib.crc32(content) !== entry.crc) throw damaged(`${entry.name} does not match its header`);
      used += content.length;
      return content;
    },
  };
}
