import { useMemo, useState } from 'react';
import type { ContractError } from '../../../../shared/contract/errors';
import { newId } from '../../../../shared/domain/ids';
import type { PickerPhrase, PhraseGroup, PhraseScope } from '../../../../shared/domain/types';
import { errorText } from '../../../i18n';
import { useT } from '../../../i18n/useT';
import { useClient } from '../../../ipc/ClientContext';
import { usePhrases } from '../picker/usePhrases';
import { useAppInfo } from '../../../hooks/useAppInfo';
import { may } from '../../../../shared/domain/policy';
import { downloadBase64 } from '../files/fileData';
import { ImportDialog } from '../files/ImportDialog';
import { RedLineEditor } from './RedLineEditor';
import { draftOf, PhraseForm, type PhraseDraft } from './PhraseForm';

/**
 * The phrase library (短语库): team and personal trees of groups; the selected group's phrases with
 * their use counts; create, edit, reorder, move and delete.
 */
export function PhraseLibrary({ toolbar }: { toolbar?: React.ReactNode }) {
  const { t } = useT();
  const client = useClient();
  const { groups, phrases } = usePhrases();
  const { info } = useAppInfo();
  const lead = may(info?.agent.role, 'keepTeamLibrary');
  const mayImport = may(info?.agent.role, 'importPhrases');
  const mayEdit = (scope: PhraseScope) => scope === 'personal' || lead;
  const [groupId, setGroupId] = useState<string | null>(null);
  const [editing, setEditing] = useState<PhraseDraft | null>(null);
  const [formError, setFormError] = useState<ContractError | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [redLines, setRedLines] = useState(false);
  const [newGroup, setNewGroup] = useState<{ scope: PhraseScope; name: string; id?: string } | null>(null);

  const selected = groups.find((g) => g.id === groupId) ?? groups[0] ?? null;
  const inGroup = useMemo(() => phrases.filter((p) => p.groupId === selected?.id).sort((a, b) => a.sort - b.sort), [phrases, selected]);
  const counts = useMemo(() => {
    const m = new Map<string, number>();
    for (const p of phrases) m.set(p.groupId, (m.get(p.groupId) ?? 0) + 1);
    return m;
  }, [phrases]);
  const sameScope = groups.filter((g) => g.scope === selected?.scope);

  const run = async (call: Promise<{ ok: boolean; error?: ContractError }>) => {
    const result = await call;
    setMessage(result.ok || !result.error ? null : errorText(t, result.error));
    return result.ok;
  };

  const tree = (scope: PhraseScope) => {
    const list = groups.filter((g) => g.scope === scope);
    return (
      <section className="library-tree" aria-label={t(scope === 'team' ? 'library.team' : 'library.personal')}>
        <h3>
          {t(scope === 'team' ? 'library.team' : 'library.personal')}
          {mayEdit(scope) && (
            <button
              type="button"
              className="link"
              onClick={() => setNewGroup({ scope, name: '' })}
              aria-label={t('library.newGroupIn', { scope: t(scope === 'team' ? 'library.team' : 'library.personal') })}
            >
              ＋
            </button>
          )}
        </h3>
        <ul role="listbox" aria-label={t('library.groupsOf', { scope: t(scope === 'team' ? 'library.team' : 'library.personal') })}>
          {list.map((g, i) => (
            <li
              key={g.id}
              role="option"
              aria-selected={g.id === selected?.id}
              className={g.id === selected?.id ? 'selected' : ''}
              onClick={() => setGroupId(g.id)}
            >
              <span className="name">{g.name}</span>
              <span className="muted">{counts.get(g.id) ?? 0}</span>
              {g.id === selected?.id && mayEdit(scope) && (
                <span className="group-actions">
                  <button
                    type="button"
                    className="link"
                    aria-label={t('library.groupUp', { name: g.name })}
                    disabled={i === 0}
                    onClick={() => void run(client.call('phraseGroups.move', { id: g.id, index: i - 1 }))}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="link"
                    aria-label={t('library.groupDown', { name: g.name })}
                    disabled={i === list.length - 1}
                    onClick={() => void run(client.call('phraseGroups.move', { id: g.id, index: i + 1 }))}
                  >
                    ↓
                  </button>
                  <button type="button" className="link" onClick={() => setNewGroup({ scope, name: g.name, id: g.id })}>
                    {t('library.rename')}
                  </button>
                  <button
                    type="button"
                    className="link danger"
                    onClick={() => {
                      if (window.confirm(t('library.confirmDeleteGroup', { name: g.name, count: counts.get(g.id) ?? 0 })))
                        void run(client.call('phraseGroups.delete', { id: g.id }));
                    }}
                  >
                    {t('library.delete')}
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      </section>
    );
  };

  const save = async ({ saved: _saved, ...draft }: PhraseDraft) => {
    const result = await client.call('phrases.save', draft);
    if (result.ok) {
      setEditing(null);
      setFormError(null);
      setGroupId(draft.groupId);
    } else setFormError(result.error);
  };

  return (
    <div className="library">
      <aside className="library-groups">
        {tree('team')}
        {tree('personal')}
        {newGroup && (
          <form
            className="group-form"
            onSubmit={(e) => {
              e.preventDefault();
              const id = newGroup.id ?? newId();
              void run(client.call('phraseGroups.save', { id, scope: newGroup.scope, name: newGroup.name })).then((ok) => {
                if (ok) {
                  setNewGroup(null);
                  setGroupId(id);
                }
              });
            }}
          >
            <input
              type="text"
              aria-label={t('library.groupName')}
              maxLength={20}
              autoFocus
              value={newGroup.name}
              onChange={(e) => setNewGroup({ ...newGroup, name: e.target.value })}
            />
            <button type="submit" className="primary" disabled={!newGroup.name.trim()}>
              {t('memo.save')}
            </button>
            <button type="button" onClick={() => setNewGroup(null)}>
              {t('common.cancel')}
            </button>
          </form>
        )}
      </aside>
      {redLines ? (
        <RedLineEditor onClose={() => setRedLines(false)} />
      ) : (
        <section className="library-main" aria-label={selected ? selected.name : t('library.title')}>
          <div className="library-toolbar">
            <h2>{selected?.name ?? t('library.title')}</h2>
            <span className="spacer" />
            {toolbar}
            <button type="button" onClick={() => setRedLines(true)}>
              {t('redLine.open')}
            </button>
            {mayImport && (
              <button type="button" onClick={() => setImporting(true)}>
                {t('import.open')}
              </button>
            )}
            <span role="group" aria-label={t('export.label')} className="export-buttons">
              {(['xlsx', 'csv', 'json'] as const).map((format) => (
                <button
                  key={format}
                  type="button"
                  aria-label={t('export.as', { format: `.${format}` })}
                  onClick={() =>
                    void client.call('phrases.export', { format }).then((r) => {
                      if (r.ok) downloadBase64(r.value.fileName, r.value.dataBase64);
                      else setMessage(errorText(t, r.error));
                    })
                  }
                >
                  .{format}
                </button>
              ))}
            </span>
            <button
              type="button"
              className="primary"
              disabled={!selected || !mayEdit(selected.scope)}
              onClick={() => selected && setEditing({ id: newId(), groupId: selected.id, code: '', title: '', content: '' })}
            >
              {t('library.newPhrase')}
            </button>
          </div>
          {!lead && <p className="muted lead-note">{t('library.leadsOnly')}</p>}
          {message && (
            <p role="alert" className="error">
              {message}
            </p>
          )}
          {editing && (
            <PhraseForm
              key={editing.id}
              initial={editing}
              groups={sameScope.length ? sameScope : groups}
              error={formError}
              onSave={(d) => void save(d)}
              onCancel={() => {
                setEditing(null);
                setFormError(null);
              }}
            />
          )}
          <table className="phrase-table">
            <thead>
              <tr>
                <th>{t('library.code')}</th>
                <th>{t('library.title2')}</th>
                <th>{t('library.content')}</th>
                <th>{t('library.uses')}</th>
                <th>{t('library.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {inGroup.map((p, i) => (
                <PhraseRow
                  key={p.id}
                  phrase={p}
                  index={i}
                  last={i === inGroup.length - 1}
                  groups={sameScope}
                  editable={mayEdit(p.scope)}
                  onEdit={() => setEditing(draftOf(p))}
                  run={run}
                />
              ))}
            </tbody>
          </table>
          {selected && inGroup.length === 0 && <p className="muted">{t('library.emptyGroup')}</p>}
        </section>
      )}
      {importing && <ImportDialog onClose={() => setImporting(false)} />}
    </div>
  );
}

function PhraseRow({
  phrase: p,
  index,
  last,
  groups,
  editable,
  onEdit,
  run,
}: {
  phrase: PickerPhrase;
  index: number;
  last: boolean;
  groups: PhraseGroup[];
  editable: boolean;
  onEdit: () => void;
  run: (c: Promise<{ ok: boolean; error?: ContractError }>) => Promise<boolean>;
}) {
  const { t } = useT();
  const client = useClient();
  const label = p.title || p.code || p.content.slice(0, 10);
  return (
    <tr aria-label={label}>
      <td className="code">{p.code}</td>
      <td>{p.title}</td>
      <td className="content">{p.content}</td>
      <td className="uses">{p.useCount}</td>
      <td className="row-actions">
        {editable && (
          <>
            <button type="button" className="link" onClick={onEdit} aria-label={t('library.editOne', { name: label })}>
              {t('order.edit')}
            </button>
            <button
              type="button"
              className="link"
              disabled={index === 0}
              aria-label={t('library.up', { name: label })}
              onClick={() => void run(client.call('phrases.move', { id: p.id, groupId: p.groupId, index: index - 1 }))}
            >
              ↑
            </button>
            <button
              type="button"
              className="link"
              disabled={last}
              aria-label={t('library.down', { name: label })}
              onClick={() => void run(client.call('phrases.move', { id: p.id, groupId: p.groupId, index: index + 1 }))}
            >
              ↓
            </button>
            <select
              aria-label={t('library.moveTo', { name: label })}
              value=""
              onChange={(e) => e.target.value && void run(client.call('phrases.move', { id: p.id, groupId: e.target.value, index: 0 }))}
            >
              <option value="">{t('library.moveToShort')}</option>
              {groups
                .filter((g) => g.id !== p.groupId)
                .map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
            </select>
            <button
              type="button"
              className="link danger"
              aria-label={t('library.deleteOne', { name: label })}
              onClick={() => {
                if (window.confirm(t('library.confirmDelete', { name: label }))) void run(client.call('phrases.delete', { id: p.id }));
              }}
            >
              {t('library.delete')}
            </button>
          </>
        )}
      </td>
    </tr>
  );
}
