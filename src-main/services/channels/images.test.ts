import { describe, expect, it } from 'vitest';
import { checkImage, IMAGE_MAX_BYTES, sniffImage } from './images';
import { pngOf } from './testing/png';

const jpeg = (w: number, h: number) =>
  Buffer.from([
    0xff,
    0xd8,
    0xff,
    0xe0,
    0x00,
    0x04,
    0x4a,
    0x46,
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    h >> 8,
    h & 0xff,
    w >> 8,
    w & 0xff,
    3,
    0,
    0,
    0,
    0,
  ]);
const gif = Buffer.from('GIF89a\x10\x00\x20\x00\x00\x00\x00', 'latin1');
const webpX = Buffer.concat([
  Buffer.from('RIFF\0\0\0\0WEBPVP8X', 'latin1'),
  Buffer.alloc(8),
  Buffer.from([99, 0, 0, 49, 0, 0]),
  Buffer.alloc(4),
]);

describe('a buyer’s image, read by its bytes', () => {
  it('knows PNG, JPEG, GIF and WebP and their sizes', () => {
    expect(sniffImage(pngOf(3, 2))).toEqual({ mime: 'image/png', width: 3, height: 2 });
    expect(sniffImage(jpeg(640, 480))).toEqual({ mime: 'image/jpeg', width: 640, height: 480 });
    expect(sniffImage(gif)).toEqual({ mime: 'image/gif', width: 16, height: 32 });
    expect(sniffImage(webpX)).toEqual({ mime: 'image/webp', width: 100, height: 50 });
  });

  it('refuses what only claims to be an image: SVG, HTML, a script, a truncated header, nothing', () => {
    for (const bytes of [
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
      Buffer.from('<!doctype html><script>alert(1)</script>'),
      Buffer.from('GIF8'),
      pngOf(2, 2).subarray(0, 20),
      Buffer.alloc(0),
    ]) {
      expect(() => checkImage(bytes)).toThrow();
    }
  });

  it('refuses a file past 5 MB and a canvas past 8000 pixels a side, and names a kept one by its sha256', () => {
    expect(() => checkImage(Buffer.concat([pngOf(1, 1), Buffer.alloc(IMAGE_MAX_BYTES)]))).toThrow(/at most 5 MB/);
    expect(() => checkImage(jpeg(9000, 10))).toThrow(/8000 pixels/);
    expect(checkImage(pngOf(4, 4))).toMatchObject({ mime: 'image/png', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });
});
