import iconv from 'iconv-lite';
import { ImportError } from './errors';

const ENCODINGS = new Set(['utf-8', 'utf8', 'utf-16le', 'utf-16be', 'utf16le', 'gbk', 'gb18030', 'gb2312']);

/**
 * A file is taken as UTF-8 when its valid multi-byte sequences outnumber its invalid bytes this many
 * times. GBK text read as UTF-8 scores well under 1 (most of its byte pairs are not UTF-8 sequences,
 * and the few that happen to be are outweighed by those that fail); UTF-8 text with a few broken bytes
 * scores in the hundreds.
 */
const UTF8_MAJORITY = 4;

/** Valid multi-byte UTF-8 sequences and bytes that belong to none, in one pass (RFC 3629 ranges). */
export function utf8Evidence(data: Uint8Array): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  let i = 0;
  const cont = (at: number, lo = 0x80, hi = 0xbf) => at < data.length && data[at]! >= lo && data[at]! <= hi;
  while (i < data.length) {
    const b = data[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let length = 0;
    if (b >= 0xc2 && b <= 0xdf) length = cont(i + 1) ? 2 : 0;
    else if (b >= 0xe0 && b <= 0xef) {
      const [lo, hi] = b === 0xe0 ? [0xa0, 0xbf] : b === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
      length = cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
    } else if (b >= 0xf0 && b <= 0xf4) {
      const [lo, hi] = b === 0xf0 ? [0x90, 0xbf] : b === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
      length = cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    }
    if (length > 0) {
      valid += 1;
      i += length;
    } else {
      invalid += 1;
      i += 1;
    }
  }
  return { valid, invalid };
}

/**
 * Text from bytes. A BOM decides; `override` (the --encoding option) decides; otherwise a file that
 * is mostly UTF-8 is UTF-8, its few broken bytes becoming U+FFFD (validateRows refuses those rows and
 * says why), and only a file whose high bytes mostly fail UTF-8 is GB18030 (a superset of GBK).
 */
export function decodeText(data: Buffer, override?: string): { text: string; encoding: string } {
  if (override) {
    const enc = override.toLowerCase();
    if (!ENCODINGS.has(enc) || !iconv.encodingExists(enc)) throw new ImportError('bad_encoding', { encoding: override });
    return { text: iconv.decode(data, enc).replace(/^\uFEFF/, ''), encoding: enc };
  }
  if (data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf)
    return { text: data.subarray(3).toString('utf8'), encoding: 'utf-8-bom' };
  if (data.length >= 2 && data[0] === 0xff && data[1] === 0xfe)
    return { text: iconv.decode(data.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (data.length >= 2 && data[0] === 0xfe && data[1] === 0xff)
    return { text: iconv.decode(data.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  const { valid, invalid } = utf8Evidence(data);
  if (invalid === 0 || valid >= UTF8_MAJORITY * invalid) return { text: data.toString('utf8'), encoding: 'utf-8' };
  return { text: iconv.decode(data, 'gb18030'), encoding: 'gb18030' };
}
