/** Order flags (插旗) as the marketplace stores them: integers 0–5. Their names are in the dictionaries (`flag.colour.*`). */
export const ORDER_FLAGS = [
  { code: 0, colour: 'grey', hex: '#9ca3af' },
  { code: 1, colour: 'red', hex: '#e5484d' },
  { code: 2, colour: 'yellow', hex: '#f5b400' },
  { code: 3, colour: 'green', hex: '#30a46c' },
  { code: 4, colour: 'blue', hex: '#0090ff' },
  { code: 5, colour: 'purple', hex: '#8e4ec6' },
] as const;

export type OrderFlag = (typeof ORDER_FLAGS)[number]['code'];

export function isOrderFlag(value: number): value is OrderFlag {
  return Number.isInteger(value) && value >= 0 && value <= 5;
}
