import { useEffect, useState } from 'react';
import type { Customer, CustomerGroup } from '../../../shared/domain/types';
import { newId } from '../../../shared/domain/ids';
import { errorText } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';

const NEW = '__new__';

/** The buyer's customer group: one of the shop's (at most 100), none, or a new one. */
export function GroupPicker({ customer, onChanged }: { customer: Customer; onChanged: (c: Customer) => void }) {
  const { t } = useT();
  const client = useClient();
  const [groups, setGroups] = useState<CustomerGroup[]>([]);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void client.call('groups.list', {}).then((r) => r.ok && setGroups(r.value));
  }, [client, customer.id]);

  const setGroup = async (groupId: string | null) => {
    const result = await client.call('customers.setGroup', { customerId: customer.id, groupId });
    if (result.ok) {
      setError(null);
      onChanged(result.value);
    } else setError(errorText(t, result.error));
  };

  const create = async () => {
    const created = await client.call('groups.create', { id: newId(), name: name.trim() });
    if (!created.ok) return setError(errorText(t, created.error));
    setGroups((g) => (g.some((x) => x.id === created.value.id) ? g : [...g, created.value]));
    setCreating(false);
    setName('');
    await setGroup(created.value.id);
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
            else void setGroup(e.target.value || null);
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
                void create();
              }
              if (e.key === 'Escape') setCreating(false);
            }}
          />
          <button type="button" className="primary" disabled={!name.trim()} onClick={() => void create()}>
            {t('group.create')}
          </button>
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
