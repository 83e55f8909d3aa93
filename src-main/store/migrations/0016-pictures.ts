import type { Migration } from './index';

/**
 * Agents' pictures (issue 13, branch channels2):
 * - `channel_buyers.accepts_images`: an API bridge's buyer can be sent pictures when the bridge
 *   said so on an inbound message (`buyer.acceptsImages`); a widget visitor always can.
 * - `replies.image`: a quick phrase's picture (a size chart, a QR code) as JSON `{hash, mime, width,
 *   height, bytes}`, its file kept by hash beside the buyers' pictures; NULL: none.
 */
export const m0016Pictures: Migration = {
  version: 16,
  name: 'pictures',
  up(db) {
    db.exec(`
      ALTER TABLE channel_buyers ADD COLUMN accepts_images INTEGER NOT NULL DEFAULT 0 CHECK (accepts_images IN (0, 1));
      ALTER TABLE replies ADD COLUMN image TEXT;
    `);
  },
};
