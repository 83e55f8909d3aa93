import { useState } from 'react';
import type { Customer } from '../../../shared/domain/types';
import { newId } from '../../../shared/domain/ids';
import { PendingMark } from '../../components/PendingMark';
import { TagChip } from '../../components/TagChip';
import { useMutate, usePendingActions, useReplicaTags } from '../../db';
import { useT } from '../../i18n/useT';

export const TAG_COLOURS = ['#e5484d', '#f76b15', '#d4a106', '#30a46c', '#0090ff', '#8e4ec6'] as const;

/**
 * A buyer's tags: remove with ×, add an existing one, or create a new one with a colour. Each is a
 * mutation: it shows at once and reaches the core through the outbox (a refusal shows as a notice).
 */
export function TagEditor({ customer }: { customer: Customer }) {
  const { t } = useT();
  const mutate = useMutate();
  const pending = usePendingActions();
  const isPending = (tagId: string) => pending?.has('tag', `${customer.id}:${tagId}`) ?? false;
  const all = useReplicaTags() ?? [];
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [colour, setColour] = useState<string>(TAG_COLOURS[0]);

  const has = new Set(customer.tags.map((x) => x.id));
  const q = name.trim();
  const candidates = all.filter((tag) => !has.has(tag.id) && (q === '' || tag.name.includes(q)));
  const exact = all.find((tag) => tag.name === q);

  const add = (tagId: string) => {
    void mutate('customers.addTag', { customerId: customer.id, tagId });
    setName('');
    setOpen(false);
  };

  const create = () => {
    const id = newId();
    void mutate('tags.create', { id, name: q, color: colour }).then((done) => done && add(id));
  };

  return (
    <div className="tag-editor">
      <ul className="tags" aria-label={t('tags.label')}>
        {customer.tags.map((tag) => (
          <li key={tag.id} className={isPending(tag.id) ? 'tag-item tag-item-pending' : 'tag-item'}>
            <TagChip tag={tag} />
            {isPending(tag.id) && <PendingMark />}
            <button
              type="button"
              className="tag-remove"
              aria-label={t('tags.remove', { name: tag.name })}
              onClick={() => void mutate('customers.removeTag', { customerId: customer.id, tagId: tag.id })}
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
                if (match) add(match.id);
                else create();
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
                onClick={() => add(tag.id)}
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
              <button type="button" className="primary" onClick={create}>
                {t('tags.create', { name: q })}
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
