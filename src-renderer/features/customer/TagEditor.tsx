import { useEffect, useState } from 'react';
import type { Result } from '../../../shared/contract/errors';
import type { Customer, Tag } from '../../../shared/domain/types';
import { newId } from '../../../shared/domain/ids';
import { TagChip } from '../../components/TagChip';
import { errorText } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';

export const TAG_COLOURS = ['#e5484d', '#f76b15', '#d4a106', '#30a46c', '#0090ff', '#8e4ec6'] as const;

/** A buyer's tags: remove with ×, add an existing one, or create a new one with a colour. */
export function TagEditor({ customer, onChanged }: { customer: Customer; onChanged: (c: Customer) => void }) {
  const { t } = useT();
  const client = useClient();
  const [open, setOpen] = useState(false);
  const [all, setAll] = useState<Tag[]>([]);
  const [name, setName] = useState('');
  const [colour, setColour] = useState<string>(TAG_COLOURS[0]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    void client.call('tags.list', {}).then((r) => r.ok && setAll(r.value));
  }, [client, open]);

  const apply = async (call: Promise<Result<Customer>>) => {
    const result = await call;
    if (result.ok) {
      setError(null);
      onChanged(result.value);
    } else setError(errorText(t, result.error));
    return result.ok;
  };

  const has = new Set(customer.tags.map((x) => x.id));
  const q = name.trim();
  const candidates = all.filter((tag) => !has.has(tag.id) && (q === '' || tag.name.includes(q)));
  const exact = all.find((tag) => tag.name === q);

  const create = async () => {
    const created = await client.call('tags.create', { id: newId(), name: q, color: colour });
    if (!created.ok) return setError(errorText(t, created.error));
    if (await apply(client.call('customers.addTag', { customerId: customer.id, tagId: created.value.id }))) {
      setName('');
      setOpen(false);
    }
  };

  return (
    <div className="tag-editor">
      <ul className="tags" aria-label={t('tags.label')}>
        {customer.tags.map((tag) => (
          <li key={tag.id} className="tag-item">
            <TagChip tag={tag} />
            <button
              type="button"
              className="tag-remove"
              aria-label={t('tags.remove', { name: tag.name })}
              onClick={() => void apply(client.call('customers.removeTag', { customerId: customer.id, tagId: tag.id }))}
            >
              ×
            </button>
          </li>
        ))}
        <li>
          <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
            {t('tags.add')}
          </button>
        </li>
      </ul>
      {open && (
        <div className="tag-popover" role="group" aria-label={t('tags.add')}>
          <input
            type="text"
            aria-label={t('tags.nameLabel')}
            placeholder={t('tags.namePlaceholder')}
            maxLength={20}
            value={name}
            autoFocus
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setOpen(false);
              if (e.key === 'Enter' && q) {
                e.preventDefault();
                const match = exact ?? (candidates.length === 1 ? candidates[0] : undefined);
                if (match) void apply(client.call('customers.addTag', { customerId: customer.id, tagId: match.id })).then((ok) => ok && setOpen(false));
                else void create();
              }
            }}
          />
          <div className="tag-candidates">
            {candidates.map((tag) => (
              <button
                key={tag.id}
                type="button"
                className="tag-candidate"
                aria-label={t('tags.addOne', { name: tag.name })}
                onClick={() => void apply(client.call('customers.addTag', { customerId: customer.id, tagId: tag.id })).then((ok) => ok && setOpen(false))}
              >
                <TagChip tag={tag} />
              </button>
            ))}
          </div>
          {q && !exact && (
            <div className="tag-create">
              <div role="radiogroup" aria-label={t('tags.colour')} className="colour-choices">
                {TAG_COLOURS.map((c) => (
                  <button
                    key={c}
                    type="button"
                    role="radio"
                    aria-checked={colour === c}
                    aria-label={c}
                    className="colour-choice"
                    style={{ background: c }}
                    onClick={() => setColour(c)}
                  />
                ))}
              </div>
              <button type="button" className="primary" onClick={() => void create()}>
                {t('tags.create', { name: q })}
              </button>
            </div>
          )}
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
