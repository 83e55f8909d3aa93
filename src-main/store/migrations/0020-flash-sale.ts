import type { Migration } from './index';

/**
 * Flash-sale orders (issue 16: "a pre-close reminder before unpaid orders close (72 h by default; a
 * shorter window for flash-sale orders)"): `orders.flash_sale` 1 for an order placed in a flash sale
 * (秒杀), whose unpaid order the platform closes sooner (the 催付 rules' `flashCloseAfterMinutes`), so
 * its pre-close reminder comes sooner too. Every order before this migration is an ordinary one.
 */
export const m0020FlashSale: Migration = {
  version: 20,
  name: 'flash-sale',
  up(db) {
    db.exec(`ALTER TABLE orders ADD COLUMN flash_sale INTEGER NOT NULL DEFAULT 0 CHECK (flash_sale IN (0, 1));`);
  },
};
