import { priceText, safeProductUrl, type ProductCard } from '../../../shared/domain/productCard';
import { useT } from '../../i18n/useT';

/**
 * A product card in the chat (or waiting in the reply box): title, variant, price, and the link
 * (http/https only, checked again here; it opens outside the desk). Every field is text.
 */
export function ProductCardView({ card, onRemove }: { card: ProductCard; onRemove?: () => void }) {
  const { t } = useT();
  const url = card.url ? safeProductUrl(card.url) : null;
  return (
    <div className="product-card" role="group" aria-label={onRemove ? t('product.waiting') : t('message.productCard')}>
      <div className="product-card-picture" aria-hidden="true">
        🛍
      </div>
      <div className="product-card-body">
        <div className="product-card-title">{card.title}</div>
        {card.sku && <div className="muted product-card-sku">{card.sku}</div>}
        {card.priceCents !== null && <div className="price">{priceText(card.priceCents)}</div>}
        {url && (
          <a className="product-card-link" href={url} target="_blank" rel="noopener noreferrer nofollow" title={url}>
            {t('product.open')}
          </a>
        )}
      </div>
      {onRemove && (
        <button type="button" className="link" aria-label={t('product.remove')} title={t('product.remove')} onClick={onRemove}>
          ×
        </button>
      )}
    </div>
  );
}
