/**
 * A product sent to the buyer as a card (message kind `product_card`, issue 15): the product's
 * title, its variant (颜色/尺码), its price and a link to its page, each optional but the title.
 *
 * The card is kept in the message's own text, one field a line (title, variant, `¥price`, URL):
 * that text is what search finds, what chat-log exports print, what a channel without cards (or an
 * older desk) shows, and it syncs like any message. The desk and the widget read the lines back
 * into a card with `parseProductCard`; the contract checks every field before the core writes the
 * text (`productCardText`), so a stored card always reads back.
 */
export type ProductCard = {
  title: string;
  /** The variant, e.g. `颜色:白色;尺码:M` (the order item's SKU). */
  sku: string | null;
  priceCents: number | null;
  /** The product's page: http or https only. */
  url: string | null;
};

export const PRODUCT_TITLE_MAX = 120;
export const PRODUCT_SKU_MAX = 120;
export const PRODUCT_URL_MAX = 1000;
/** ¥1,000,000.00: more than any one product of a shop costs. */
export const PRODUCT_PRICE_MAX_CENTS = 100_000_000;

/**
 * The WHATWG URL parser, present in Node and in every browser; shared/ is compiled without Node or
 * DOM types, so the little of it used here is declared (module scope: the global at run time).
 */
declare const URL: new (input: string) => { protocol: string; username: string; password: string; hostname: string; href: string };

const PRICE_LINE = /^¥(\d{1,7})\.(\d{2})$/;
const URL_LINE = /^https?:\/\//i;

/** The link as the card keeps it (normalised), or null: not http(s), credentials in it, too long, or not a URL. */
export function safeProductUrl(raw: string): string | null {
  const trimmed = raw.trim();
  if (trimmed.length === 0 || trimmed.length > PRODUCT_URL_MAX || /\s/.test(trimmed)) return null;
  let url: InstanceType<typeof URL>;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password || !url.hostname) return null;
  return url.href.length <= PRODUCT_URL_MAX ? url.href : null;
}

/**
 * Why a card's title or variant line cannot be kept as it is, or null when it can: one line, not
 * empty (title), within its limit, and not read back as a price or a link.
 */
export function productLineProblem(
  line: string,
  max: number,
): 'empty' | 'edgeSpace' | 'tooLong' | 'lineBreak' | 'looksLikePriceOrLink' | null {
  if (line.trim().length === 0) return 'empty';
  if (line !== line.trim()) return 'edgeSpace';
  if (Array.from(line).length > max) return 'tooLong';
  if (/[\r\n\u2028\u2029]/.test(line)) return 'lineBreak';
  if (PRICE_LINE.test(line) || URL_LINE.test(line)) return 'looksLikePriceOrLink';
  return null;
}

export const priceText = (cents: number): string => `¥${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

/** The message text of a card (the fields already checked; absent ones are null). */
export function productCardText(card: { title: string; sku?: string | null; priceCents?: number | null; url?: string | null }): string {
  const price = card.priceCents ?? null;
  return [card.title, card.sku || null, price === null ? null : priceText(price), card.url ? safeProductUrl(card.url) : null]
    .filter((line): line is string => line !== null && line !== '')
    .join('\n');
}

/** A card's text read back into its fields; null when the text is not a card's (shown as text then). */
export function parseProductCard(text: string): ProductCard | null {
  const lines = text.split('\n');
  let url: string | null = null;
  let priceCents: number | null = null;
  if (lines.length > 1 && URL_LINE.test(lines[lines.length - 1]!)) {
    url = safeProductUrl(lines.pop()!);
    if (url === null) return null;
  }
  const price = lines.length > 1 ? PRICE_LINE.exec(lines[lines.length - 1]!) : null;
  if (price) {
    lines.pop();
    priceCents = Number(price[1]) * 100 + Number(price[2]);
  }
  if (lines.length < 1 || lines.length > 2) return null;
  const [title, sku] = lines as [string, string | undefined];
  if (productLineProblem(title, PRODUCT_TITLE_MAX)) return null;
  if (sku !== undefined && productLineProblem(sku, PRODUCT_SKU_MAX)) return null;
  return { title, sku: sku ?? null, priceCents, url };
}
