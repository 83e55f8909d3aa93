import { useEffect, useMemo, useRef, useState } from 'react';
import type { RedLineImportReport, RedLineWord } from '../../../../shared/contract/redLines';
import { may } from '../../../../shared/domain/policy';
import { RED_LINE_CATEGORIES, RED_LINE_LIMITS, type RedLineCategory } from '../../../../shared/domain/redLines/defaults';
import { wordKey } from '../../../../shared/domain/redLines/normalize';
import { errorText } from '../../../i18n';
import { useT } from '../../../i18n/useT';
import { useAppInfo } from '../../../hooks/useAppInfo';
import { useClient } from '../../../ipc/ClientContext';
import { useRedLines } from '../../redLines/useRedLines';
import { readAsBase64 } from '../files/fileData';

type Row = Pick<RedLineWord, 'word' | 'category'> & Partial<RedLineWord>;

/**
 * The shop's red-line words (平台规则红线) with how often each was caught, most caught first; the
 * exceptions; bulk import. Supervisors and the owner edit (the core checks again), agents read.
 */
export function RedLineEditor({ onClose }: { onClose: () => void }) {
  const { t, lang } = useT();
  const client = useClient();
  const { info } = useAppInfo();
  const lead = may(info?.agent.role, 'keepRedLines');
  const { list } = useRedLines();
  const [rows, setRows] = useState<Row[] | null>(null);
  const [exceptions, setExceptions] = useState('');
  const [dirty, setDirtyState] = useState(false);
  // Also read by the copy below at once: an effect of a render from before an edit can run after the
  // edit's handler (React flushes it then), and it must not put the stored list over the edit.
  const dirtyNow = useRef(false);
  const setDirty = (value: boolean) => {
    dirtyNow.current = value;
    setDirtyState(value);
  };
  const [newWord, setNewWord] = useState({ word: '', category: 'custom' as RedLineCategory });
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [pending, setPending] = useState<{ fileName: string; dataBase64: string; report: RedLineImportReport } | null>(null);

  // The stored list, until the supervisor starts changing it (then their copy is kept; counts still come from the store).
  useEffect(() => {
    if (!list || dirty || dirtyNow.current) return;
    setRows(list.words);
    setExceptions(list.exceptions.join('\n'));
  }, [list, dirty]);

  const counts = useMemo(() => new Map((list?.words ?? []).map((w) => [wordKey(w.word), w])), [list]);
  const shown = useMemo(() => {
    const caught = (r: Row) => {
      const c = counts.get(wordKey(r.word));
      return (c?.caughtSent ?? 0) + (c?.caughtStopped ?? 0);
    };
    return (rows ?? []).map((r, index) => ({ r, index })).sort((a, b) => caught(b.r) - caught(a.r) || a.index - b.index);
  }, [rows, counts]);

  const change = (next: Row[]) => {
    setRows(next);
    setDirty(true);
  };
  const add = () => {
    const word = newWord.word.trim();
    if (!word || !rows) return;
    if (!rows.some((r) => wordKey(r.word) === wordKey(word))) change([...rows, { word, category: newWord.category }]);
    setNewWord((now) => ({ word: '', category: now.category }));
  };
  const save = async () => {
    if (!rows) return;
    const result = await client.call('redLines.save', {
      words: rows.map((r) => ({ word: r.word, category: r.category })),
      exceptions: exceptions
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean),
    });
    if (result.ok) {
      setDirty(false);
      setMessage({ text: t('redLine.saved', { count: result.value.words.length }), error: false });
    } else setMessage({ text: errorText(t, result.error), error: true });
  };
  const preview = async (file: File) => {
    const dataBase64 = await readAsBase64(file);
    const result = await client.call('redLines.importPreview', { fileName: file.name, dataBase64 });
    if (!result.ok) return setMessage({ text: errorText(t, result.error), error: true });
    if (result.value.error) return setMessage({ text: t('redLine.importFailed', { reason: result.value.error }), error: true });
    setMessage(null);
    setPending({ fileName: file.name, dataBase64, report: result.value });
  };
  const commit = async () => {
    if (!pending) return;
    const result = await client.call('redLines.importCommit', { fileName: pending.fileName, dataBase64: pending.dataBase64 });
    setPending(null);
    if (!result.ok) return setMessage({ text: errorText(t, result.error), error: true });
    setDirty(false);
    setMessage({ text: t('redLine.imported', { added: result.value.added, exceptions: result.value.exceptionsAdded }), error: false });
  };
  const n = (x: number | undefined) => (x ?? 0).toLocaleString(lang);

  return (
    <section className="red-line-editor" aria-label={t('redLine.title')}>
      <div className="library-toolbar">
        <h2>{t('redLine.title')}</h2>
        <span className="muted">{t('redLine.count', { count: rows?.length ?? 0 })}</span>
        <span className="spacer" />
        {lead && (
          <label className="button-like">
            {t('redLine.import')}
            <input
              type="file"
              hidden
              accept=".csv,.txt,.tsv,.xlsx"
              aria-label={t('redLine.import')}
              onChange={(e) => e.target.files?.[0] && void preview(e.target.files[0])}
            />
          </label>
        )}
        {lead && (
          <button type="button" className="primary" disabled={!dirty} onClick={() => void save()}>
            {t('redLine.save')}
          </button>
        )}
        <button type="button" onClick={onClose}>
          {t('redLine.back')}
        </button>
      </div>
      <p className="muted">{t('redLine.intro')}</p>
      {!lead && <p className="muted lead-note">{t('redLine.leadsOnly')}</p>}
      {lead && <p className="muted">{t('redLine.importHint')}</p>}
      {message && (
        <p role={message.error ? 'alert' : 'status'} className={message.error ? 'error' : 'muted'}>
          {message.text}
        </p>
      )}
      {pending && (
        <div role="status" className="import-preview">
          {t('redLine.importPreview', {
            added: pending.report.added,
            existing: pending.report.existing,
            exceptions: pending.report.exceptionsAdded,
            problems: pending.report.problems.length,
          })}
          <button type="button" className="primary" onClick={() => void commit()}>
            {t('redLine.importCommit')}
          </button>
          <button type="button" onClick={() => setPending(null)}>
            {t('common.cancel')}
          </button>
        </div>
      )}
      {lead && rows && (
        <form
          className="add-word"
          onSubmit={(e) => {
            e.preventDefault();
            add();
          }}
        >
          <input
            type="text"
            aria-label={t('redLine.newWord')}
            placeholder={t('redLine.newWord')}
            maxLength={RED_LINE_LIMITS.wordChars}
            value={newWord.word}
            onChange={(e) => {
              const word = e.target.value;
              // From the newest state, not this render's: a keystroke and a category change close together must both land.
              setNewWord((now) => ({ ...now, word }));
            }}
          />
          <CategorySelect
            label={t('redLine.category')}
            value={newWord.category}
            onChange={(category) => setNewWord((now) => ({ ...now, category }))}
          />
          <button type="submit" disabled={!newWord.word.trim()}>
            {t('redLine.add')}
          </button>
        </form>
      )}
      <table aria-label={t('redLine.title')}>
        <thead>
          <tr>
            <th>{t('redLine.word')}</th>
            <th>{t('redLine.category')}</th>
            <th>{t('redLine.sentCount')}</th>
            <th>{t('redLine.stoppedCount')}</th>
            {lead && <th>{t('library.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {shown.map(({ r, index }) => {
            const c = counts.get(wordKey(r.word));
            return (
              <tr key={wordKey(r.word)} aria-label={r.word}>
                <td>{r.word}</td>
                <td>
                  {lead ? (
                    <CategorySelect
                      label={`${r.word} ${t('redLine.category')}`}
                      value={r.category}
                      onChange={(category) => change(rows!.map((x, i) => (i === index ? { ...x, category } : x)))}
                    />
                  ) : (
                    t(`redLine.category.${r.category}`)
                  )}
                </td>
                <td className="count">{n(c?.caughtSent)}</td>
                <td className="count">{n(c?.caughtStopped)}</td>
                {lead && (
                  <td>
                    <button
                      type="button"
                      className="link danger"
                      aria-label={t('redLine.removeOne', { word: r.word })}
                      onClick={() => change(rows!.filter((_, i) => i !== index))}
                    >
                      {t('redLine.remove')}
                    </button>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <label>
        <span>{t('redLine.exceptions')}</span>
        <textarea
          aria-label={t('redLine.exceptions')}
          rows={5}
          readOnly={!lead}
          value={exceptions}
          onChange={(e) => {
            setExceptions(e.target.value);
            setDirty(true);
          }}
        />
      </label>
    </section>
  );
}

function CategorySelect({ label, value, onChange }: { label: string; value: RedLineCategory; onChange: (c: RedLineCategory) => void }) {
  const { t } = useT();
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as RedLineCategory)}>
      {RED_LINE_CATEGORIES.map((c) => (
        <option key={c} value={c}>
          {t(`redLine.category.${c}`)}
        </option>
      ))}
    </select>
  );
}
