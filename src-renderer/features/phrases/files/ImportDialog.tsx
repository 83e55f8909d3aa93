import { useEffect, useRef, useState } from 'react';
import type { ImportReport } from '../../../../shared/contract/methods';
import { MAX_IMPORT_FILE_BYTES, MAX_IMPORT_FILE_MB } from '../../../../shared/domain/phraseRules';
import { errorText } from '../../../i18n';
import { useT } from '../../../i18n/useT';
import { useClient } from '../../../ipc/ClientContext';
import { readAsBase64 } from './fileData';

type Settings = { scope: 'team' | 'personal'; mode: 'merge' | 'replace'; skipInvalid: boolean; encoding: string; sheet: string };

const ENCODINGS = ['', 'utf-8', 'gbk', 'gb18030', 'utf-16le', 'utf-16be'];

/**
 * Bulk import of phrases: pick a file, see the dry run (counts and every refused row with its
 * reason), choose how to import, commit, see the result. Nothing is written before "导入".
 */
export function ImportDialog({ onClose }: { onClose: () => void }) {
  const { t, lang } = useT();
  const client = useClient();
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const [settings, setSettings] = useState<Settings>({ scope: 'team', mode: 'merge', skipInvalid: false, encoding: '', sheet: '' });
  const [report, setReport] = useState<ImportReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const dialogRef = useRef<HTMLDivElement>(null);

  const args = (f: { name: string; base64: string }) => ({
    fileName: f.name,
    dataBase64: f.base64,
    scope: settings.scope,
    mode: settings.mode,
    skipInvalid: settings.skipInvalid,
    lang,
    ...(settings.encoding ? { encoding: settings.encoding } : {}),
    ...(settings.sheet.trim() ? { sheet: settings.sheet.trim() } : {}),
  });

  // The dry run follows the file and the settings.
  useEffect(() => {
    if (!file) return;
    let live = true;
    setBusy(true);
    void client.call('phrases.importPreview', args(file)).then((result) => {
      if (!live) return;
      setBusy(false);
      if (result.ok) {
        setReport(result.value);
        setError(null);
      } else setError(errorText(t, result.error));
    });
    return () => {
      live = false;
    };
    // `args` reads only file, settings and lang, which are the dependencies.
  }, [client, file, settings, lang]);

  const pick = async (picked: File | undefined) => {
    setReport(null);
    setError(null);
    if (!picked) return;
    if (picked.size > MAX_IMPORT_FILE_BYTES) {
      setFile(null);
      setError(t('importReport.file.too_large', { sizeMb: Math.ceil(picked.size / 1024 / 1024), limitMb: MAX_IMPORT_FILE_MB }));
      return;
    }
    setFile({ name: picked.name, base64: await readAsBase64(picked) });
  };

  const commit = async () => {
    if (!file) return;
    setBusy(true);
    const result = await client.call('phrases.importCommit', args(file));
    setBusy(false);
    if (result.ok) setReport(result.value);
    else setError(errorText(t, result.error));
  };

  const blocked = report !== null && report.counts.invalid > 0 && !settings.skipInvalid;
  const done = report?.outcome === 'committed';
  const c = report?.counts;

  return (
    <div className="overlay" onClick={onClose}>
      <div
        ref={dialogRef}
        role="dialog"
        aria-modal="true"
        aria-label={t('import.title')}
        className="sheet import-dialog"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <h2>{t('import.title')}</h2>
        <label className="form-row wide">
          <span>{t('import.file')}</span>
          <input
            type="file"
            aria-label={t('import.file')}
            accept=".xlsx,.xlsm,.xls,.csv,.tsv,.txt,.json"
            onChange={(e) => void pick(e.target.files?.[0])}
            disabled={busy || done}
          />
        </label>
        <div className="import-settings">
          <label>
            {t('import.scope')}
            <select
              aria-label={t('import.scope')}
              value={settings.scope}
              disabled={done}
              onChange={(e) => setSettings({ ...settings, scope: e.target.value === 'personal' ? 'personal' : 'team' })}
            >
              <option value="team">{t('library.team')}</option>
              <option value="personal">{t('library.personal')}</option>
            </select>
          </label>
          <label>
            {t('import.mode')}
            <select
              aria-label={t('import.mode')}
              value={settings.mode}
              disabled={done}
              onChange={(e) => setSettings({ ...settings, mode: e.target.value === 'replace' ? 'replace' : 'merge' })}
            >
              <option value="merge">{t('import.merge')}</option>
              <option value="replace">{t('import.replace')}</option>
            </select>
          </label>
          <label>
            {t('import.encoding')}
            <select
              aria-label={t('import.encoding')}
              value={settings.encoding}
              disabled={done}
              onChange={(e) => setSettings({ ...settings, encoding: e.target.value })}
            >
              {ENCODINGS.map((enc) => (
                <option key={enc} value={enc}>
                  {enc || t('import.auto')}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('import.sheet')}
            <input
              type="text"
              aria-label={t('import.sheet')}
              placeholder={t('import.firstSheet')}
              value={settings.sheet}
              disabled={done}
              onChange={(e) => setSettings({ ...settings, sheet: e.target.value })}
            />
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={settings.skipInvalid}
              disabled={done}
              onChange={(e) => setSettings({ ...settings, skipInvalid: e.target.checked })}
            />
            {t('import.skipInvalid')}
          </label>
        </div>
        {busy && <p className="muted">{t('import.reading')}</p>}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {report?.outcome === 'refused' && (
          <p role="alert" className="error">
            {report.error}
          </p>
        )}
        {report && c && report.outcome !== 'refused' && (
          <section aria-label={t('import.summary')} className="import-summary">
            <p>
              {t(report.unit === 'item' ? 'import.readItems' : 'import.read', {
                rows: report.rows,
                details: [report.format?.toUpperCase(), report.sheet, report.encoding].filter(Boolean).join(' · '),
              })}
            </p>
            <ul className="counts">
              <li>{t('import.new', { n: c.new })}</li>
              <li>{t('import.updated', { n: c.updated })}</li>
              <li>{t('import.unchanged', { n: c.unchanged })}</li>
              <li className={c.invalid ? 'error' : ''}>{t('import.invalid', { n: c.invalid })}</li>
              {report.mode === 'replace' && <li>{t('import.deleted', { n: c.deleted })}</li>}
            </ul>
            {report.unknownColumns.length > 0 && (
              <p className="muted">{t('import.ignored', { columns: report.unknownColumns.join('、') })}</p>
            )}
            {report.problems.length > 0 && (
              <table className="problems" aria-label={t('import.problems')}>
                <thead>
                  <tr>
                    <th>{report.unit === 'item' ? t('import.item') : t('import.row')}</th>
                    <th>{t('import.column')}</th>
                    <th>{t('import.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.problems.map((p, i) => (
                    <tr key={`${p.row}-${p.column}-${i}`}>
                      <td>{p.row}</td>
                      <td>{p.columnName}</td>
                      <td>{p.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {done && (
              <p role="status" className="success">
                {t('import.done', { n: c.new + c.updated })}
              </p>
            )}
            {report.outcome === 'stopped' && (
              <p role="alert" className="error">
                {t('import.stopped')}
              </p>
            )}
            {blocked && !done && <p className="muted">{t('import.blocked')}</p>}
          </section>
        )}
        <div className="form-actions">
          <button type="button" onClick={onClose}>
            {done ? t('common.close') : t('common.cancel')}
          </button>
          {!done && (
            <button
              type="button"
              className="primary"
              disabled={!report || report.outcome === 'refused' || blocked || busy}
              onClick={() => void commit()}
            >
              {t('import.commit')}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
