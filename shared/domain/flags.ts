/** Order flags (插旗) as the marketplace stores them: integers 0–5. */
export const ORDER_FLAGS = [
  { code: 0, colour: 'grey', hex: '#9ca3af', zh: '灰', en: 'Grey (no flag)' },
  { code: 1, colour: 'red', hex: '#e5484d', zh: '红', en: 'Red' },
  { code: 2, colour: 'yellow', hex: '#f5b400', zh: '黄', en: 'Yellow' },
  { code: 3, colour: 'green', hex: '#30a46c', zh: '绿', en: 'Green' },
  { code: 4, colour: 'blue', hex: '#0090ff', zh: '蓝', en: 'Blue' },
  { code: 5, colour: 'purple', hex: '#8e4ec6', zh: '紫', en: 'Purple' },
] as const;

export type OrderFlag = (typeof ORDER_FLAGS)[number]['code'];

export function isOrderFlag(value: number): value is OrderFlag {
  return Number.isInteger(value) && value >= 0 && value <= 5;
}
