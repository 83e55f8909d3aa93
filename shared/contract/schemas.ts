import { z } from 'zod';

/**
 * The argument pieces every contract file shares. `id` is the one id schema: every id a caller
 * names (rows, mutations, clients, export jobs) passes it.
 */
export const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'an id holds letters, digits, _ and - only');
export const millis = z.number().int().nonnegative();
export const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb');
export const shortName = (max: number) =>
  z
    .string()
    .max(max * 2)
    .refine((s) => s.trim().length > 0 && Array.from(s.trim()).length <= max, `a name has 1 to ${max} characters`);
