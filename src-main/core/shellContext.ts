import { z } from 'zod';

/**
 * What only a shell adds to a contract call, on its own side of the boundary: never part of the
 * contract's arguments, so a renderer cannot set it (the preload and the host forward `args` only).
 * The Electron shell puts the file the owner chose in the native save dialog here.
 */
export type ShellContext = {
  /** Where `logExport.start` writes; `overwrite` only when the dialog itself confirmed replacing it. */
  exportDestination?: { path: string; overwrite: boolean };
};

/** Checked again where the core receives it (it crossed a thread boundary). */
export const shellContextSchema = z
  .object({
    exportDestination: z
      .object({ path: z.string().min(1).max(4096), overwrite: z.boolean() })
      .strict()
      .optional(),
  })
  .strict();
