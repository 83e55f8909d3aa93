import { describe, expect, it } from 'vitest';
import { segments } from './segments';

describe('red-line segments', () => {
  it('cuts the text into plain and caught pieces, merging overlaps, losing no character', () => {
    const text = '加微信号发你';
    const parts = segments(text, [
      { start: 0, end: 3, word: '加微信', category: 'contact' },
      { start: 1, end: 4, word: '微信号', category: 'contact' },
    ]);
    expect(parts).toEqual([
      { text: '加微信', caught: true },
      { text: '号', caught: true },
      { text: '发你', caught: false },
    ]);
    expect(parts.map((p) => p.text).join('')).toBe(text);
  });
});
