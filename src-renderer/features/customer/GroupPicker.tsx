import { useState } from 'react';
import type { Customer } from '../../../shared/domain/types';
import { newId } from '../../../shared/domain/ids';
import { PendingMark } from '../../components/PendingMark';
import { useMutate, usePendingActions, useReplicaGroups } from '../../db';
import { useT } from '../../i18n/useT';

const NEW = '__new__';

/** The buyer's customer group: one of the shop's (at most 100), none, or a new one. */
export function GroupPicker({ customer }: { customer: Customer }) {
  const { t } = useT();
  const mutate = useMutate();
  const groups = useReplicaGroups() ?? [];
  const pending = usePendingActions()?.has('group', customer.id) ?? false;
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');

  const setGroup = (groupId: string | null) => void mutate('customers.setGroup', { customerId: customer.id, groupId });

  const create = () => {
    const trimmed = name.trim();
    const existing = groups.find((g) => g.name === trimmed);
    setCreating(false);
    setName('');
    if (existing) return setGroup(existing.id);
    const id = newId();
    void mutate('customerGroups.create', { id, name: trimmed }).then((done) => done && setGroup(id));
  };

  return (
    <div className="group-picker">
      <label>
        <span className="muted">{t('group.label')}</span>
        <select
          aria-label={t('group.label')}
          value={customer.groupId ?? ''}
          onChange={(e) => {
            if (e.target.value === NEW) setCreating(true);
            else setGroup(e.target.value || null);
          }}
        >
          <option value="">{t('group.none')}</option>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
          <option value={NEW}>{t('group.new')}</option>
        </select>
        {pending && <PendingMark />}
      </label>
      {creating && (
        <div className="group-create">
          <input
            type="text"
            aria-label={t('group.nameLabel')}
            maxLength={20}
            value={name}
            autoFocus
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && name.trim()) {
                e.preventDefault();
                create();
              }
              if (e.key === 'Escape') setCreating(false);
            }}
          />
          <button type="button" className="primary" disabled={!name.trim()} onClick={create}>
            {t('group.create')}
          </button>
        </div>
      )}
    </div>
  );
}
