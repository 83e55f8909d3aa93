import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import {
  PRODUCT_PRICE_MAX_CENTS,
  PRODUCT_TITLE_MAX,
  priceText,
  productLineProblem,
  safeProductUrl,
  type ProductCard,
} from '../../../shared/domain/productCard';
import type { Order } from '../../../shared/domain/types';
import { useT } from '../../i18n/useT';

/**
 * The products an agent can send this buyer as cards: the shop keeps no product list of its own,
 * so they are the items of the buyer's orders (newest first, one entry per product and variant).
 */
export function productsOf(orders: readonly Order[] | null): ProductCard[] {
  const seen = new Set<string>();
  const out: ProductCard[] = [];
  for (const order of orders ?? []) {
    for (const item of order.items) {
      const title = item.title.trim();
      const sku = item.sku.trim() || null;
      const key = `${title}\n${sku ?? ''}`;
      if (seen.has(key) || productLineProblem(title, PRODUCT_TITLE_MAX)) continue;
      seen.add(key);
      out.push({ title, sku: sku && !productLineProblem(sku, PRODUCT_TITLE_MAX) ? sku : null, priceCents: item.priceCents, url: null });
    }
  }
  return out;
}

/** "129", "129.9", "¥129.00" → cents; null when empty; 'bad' when not a price. */
function priceCentsOf(raw: string): number | null | 'bad' {
  const s = raw.trim().replace(/^[¥￥]/, '');
  if (!s) return null;
  const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return 'bad';
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return cents <= PRODUCT_PRICE_MAX_CENTS ? cents : 'bad';
}

/**
 * 商品 beside the reply: pick one of the buyer's ordered products, or paste a product's link with
 * its title (and price). The card waits in the reply box and goes after the text.
 */
export function ProductPicker({
  products,
  onPick,
  onClose,
}: {
  products: ProductCard[];
  onPick: (card: ProductCard) => void;
  onClose: () => void;
}) {
  const { t } = useT();
  const [url, setUrl] = useState('');
  const [title, setTitle] = useState('');
  const [price, setPrice] = useState('');
  const [problem, setProblem] = useState<'url' | 'title' | 'price' | null>(null);
  const first = useRef<HTMLButtonElement | HTMLInputElement | null>(null);

  useEffect(() => {
    first.current?.focus();
  }, []);

  const add = () => {
    const safe = safeProductUrl(url);
    if (!safe) return setProblem('url');
    if (productLineProblem(title.trim(), PRODUCT_TITLE_MAX)) return setProblem('title');
    const cents = priceCentsOf(price);
    if (cents === 'bad') return setProblem('price');
    setProblem(null);
    onPick({ title: title.trim(), sku: null, priceCents: cents, url: safe });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
    }
  };

  return (
    <div className="product-picker" role="dialog" aria-label={t('product.title')} onKeyDown={onKeyDown}>
      <h3>{t('product.fromOrders')}</h3>
      {products.length === 0 ? (
        <p className="muted">{t('product.noOrders')}</p>
      ) : (
        <ul className="product-options" aria-label={t('product.fromOrders')}>
          {products.map((p, i) => (
            <li key={`${p.title}\n${p.sku ?? ''}`}>
              <button
                type="button"
                ref={i === 0 ? (el) => void (first.current = el) : undefined}
                onClick={() => onPick(p)}
                aria-label={t('product.send', { title: p.title })}
              >
                <span className="product-option-title">{p.title}</span>
                {p.sku && <span className="muted">{p.sku}</span>}
                {p.priceCents !== null && <span className="price">{priceText(p.priceCents)}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
      {/* Not a form: the picker sits inside the composer's form, and a nested form's submit would reach
          the composer too (its Enter sent the words typed before). Enter in a field adds the card. */}
      <div
        className="product-link"
        role="group"
        aria-label={t('product.byLink')}
        onKeyDown={(e) => {
          if (e.key !== 'Enter' || e.nativeEvent.isComposing || !(e.target instanceof HTMLInputElement)) return;
          e.preventDefault();
          e.stopPropagation();
          add();
        }}
      >
        <h3>{t('product.byLink')}</h3>
        <input
          ref={products.length === 0 ? (el) => void (first.current = el) : undefined}
          type="url"
          inputMode="url"
          aria-label={t('product.url')}
          placeholder="https://"
          maxLength={1000}
          value={url}
          aria-invalid={problem === 'url'}
          onChange={(e) => setUrl(e.target.value)}
        />
        <input
          type="text"
          aria-label={t('product.titleField')}
          placeholder={t('product.titleField')}
          maxLength={PRODUCT_TITLE_MAX}
          value={title}
          aria-invalid={problem === 'title'}
          onChange={(e) => setTitle(e.target.value)}
        />
        <input
          type="text"
          inputMode="decimal"
          aria-label={t('product.price')}
          placeholder={t('product.price')}
          maxLength={12}
          value={price}
          aria-invalid={problem === 'price'}
          onChange={(e) => setPrice(e.target.value)}
        />
        <button type="button" onClick={add}>
          {t('product.add')}
        </button>
        {problem && (
          <p className="error" role="alert">
            {t(`product.bad.${problem}`)}
          </p>
        )}
      </div>
    </div>
  );
}
