import { ORDER_FLAGS, type OrderFlag } from '../../../shared/domain/flags';
import { useT } from '../../i18n/useT';

/** The six order flags (插旗) as a radio group: 0 grey (none), 1 red, 2 yellow, 3 green, 4 blue, 5 purple. */
export function FlagPicker({
  value,
  onChange,
  label,
  disabled,
}: {
  value: OrderFlag | null;
  onChange: (flag: OrderFlag) => void;
  label: string;
  disabled?: boolean;
}) {
  const { t } = useT();
  return (
    <div role="radiogroup" aria-label={label} className="flag-picker">
      {ORDER_FLAGS.map((f) => (
        <button
          key={f.code}
          type="button"
          role="radio"
          aria-checked={value === f.code}
          aria-label={t('flag.name', { colour: t(`flag.colour.${f.colour}`) })}
          title={t('flag.name', { colour: t(`flag.colour.${f.colour}`) })}
          className={`flag flag-${f.colour}`}
          disabled={disabled}
          onClick={() => onChange(f.code)}
        >
          <span className="flag-swatch" style={{ background: f.hex }} />
        </button>
      ))}
    </div>
  );
}
