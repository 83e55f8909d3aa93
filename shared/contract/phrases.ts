import { z } from 'zod';
import type { PickerPhrase, PhraseGroup } from '../domain/types';
import { define } from './define';
import { IMAGE_MAX_BASE64 } from '../domain/images';
import { id } from './schemas';

/** Quick phrases (快捷短语): the picker's list, and the phrase library (短语库) screen. */
export const phraseMethods = {
  /** The team's phrases and the agent's own, with precomputed search keys, for the picker. */
  'phrases.forPicker': define<{ groups: PhraseGroup[]; phrases: PickerPhrase[] }>()(z.object({}).strict()),
  /** Counts one use of a phrase (often and recently used rank higher). */
  'phrases.markUsed': define<PickerPhrase>()(z.object({ phraseId: id }).strict()),
  /** Creates or edits a phrase (the id made by the caller). The code is unique within its library. */
  'phrases.save': define<PickerPhrase>()(
    z
      .object({
        id,
        groupId: id,
        code: z.string().max(64),
        title: z.string().max(200),
        content: z.string().max(8000),
        /** A supervisor saves a phrase holding red-line words knowingly (refused otherwise). */
        confirmRedLines: z.boolean().optional(),
        /** The phrase's picture: new bytes (base64, checked as any picture), null to take it off; absent: kept. */
        image: z
          .object({
            base64: z
              .string()
              .min(4)
              .max(IMAGE_MAX_BASE64)
              .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'an image is base64'),
          })
          .strict()
          .nullable()
          .optional(),
      })
      .strict(),
  ),
  /** A phrase's picture, for the picker to show and the reply box to send (a phrase the caller may see). */
  'phrases.image': define<{ mime: string; base64: string; width: number; height: number }>()(z.object({ phraseId: id }).strict()),
  'phrases.delete': define<null>()(z.object({ id }).strict()),
  /** Moves a phrase to a group of the same library, at a position (0 = first). */
  'phrases.move': define<null>()(z.object({ id, groupId: id, index: z.number().int().min(0).max(100_000) }).strict()),
  /** Creates a phrase group, or renames one. */
  'phraseGroups.save': define<PhraseGroup>()(z.object({ id, scope: z.enum(['team', 'personal']), name: z.string().max(80) }).strict()),
  /** Deletes a group with its phrases. */
  'phraseGroups.delete': define<null>()(z.object({ id }).strict()),
  'phraseGroups.move': define<null>()(z.object({ id, index: z.number().int().min(0).max(10_000) }).strict()),
} as const;
