import { useState } from 'react';
import type { ContractError } from '../../../../shared/contract/errors';
import { charCount, PHRASE_LIMITS, phraseProblems, type PhraseProblem } from '../../../../shared/domain/phraseRules';
import type { PhraseImage, PickerPhrase, PhraseGroup } from '../../../../shared/domain/types';
import { IMAGE_MAX_BYTES, IMAGE_MAX_SIDE, IMAGE_MIMES } from '../../../../shared/domain/images';
import { readPicture, type PictureRefusal } from '../../chat/picture';
import { PhraseImageThumb } from '../PhraseImageThumb';
import { useT } from '../../../i18n/useT';
import type { Translate } from '../../../i18n';
import { may } from '../../../../shared/domain/policy';
import { caughtWords } from '../../../../shared/domain/redLines/matcher';
import { useAppInfo } from '../../../hooks/useAppInfo';
import { useRedLineMatcher } from '../../redLines/useRedLines';

export type PhraseDraft = {
  id: string;
  groupId: string;
  code: string;
  title: string;
  content: string;
  confirmRedLines?: boolean;
  /** New picture bytes, null to take the saved one off; absent: the saved one stays. */
  image?: { base64: string } | null;
  /** The picture saved with the phrase (shown while not replaced; not sent). */
  saved?: PhraseImage;
};

export function problemText(t: Translate, p: PhraseProblem): string {
  return t(`phraseRule.${p.field}.${p.rule}` as Parameters<Translate>[0], {
    code: PHRASE_LIMITS.code,
    title: PHRASE_LIMITS.title,
    content: PHRASE_LIMITS.content,
    group: PHRASE_LIMITS.group,
  });
}

/** Problems the core reported (a code taken) next to those found here. */
function coreProblems(error: ContractError | null): PhraseProblem[] {
  const details = error?.details as { problems?: PhraseProblem[] } | undefined;
  return details?.problems ?? [];
}

/** The red-line words the core refused the phrase for (details.redLines), if that was the reason. */
function refusedRedLines(error: ContractError | null): string[] {
  const words = (error?.details as { redLines?: unknown } | undefined)?.redLines;
  return Array.isArray(words) ? words.filter((w): w is string => typeof w === 'string') : [];
}

/** Creates or edits one phrase. Limits are checked as the agent types; the core checks again. */
export function PhraseForm({
  initial,
  groups,
  onSave,
  onCancel,
  error,
}: {
  initial: PhraseDraft;
  groups: PhraseGroup[];
  onSave: (draft: PhraseDraft) => void;
  onCancel: () => void;
  error: ContractError | null;
}) {
  const { t } = useT();
  const [draft, setDraft] = useState(initial);
  const [picture, setPicture] = useState<{ url: string } | null>(null);
  const [pictureRefused, setPictureRefused] = useState<PictureRefusal | null>(null);
  const problems = [...phraseProblems(draft), ...coreProblems(error)];
  const of = (field: PhraseProblem['field']) => problems.filter((p) => p.field === field);
  // Red lines: said as the phrase is written; the core refuses it on save, a lead may save it knowingly.
  const { info } = useAppInfo();
  const lead = may(info?.agent.role, 'keepRedLines');
  const matcher = useRedLineMatcher();
  const caught = caughtWords([...matcher.find(draft.title), ...matcher.find(draft.content)]);
  const refused = refusedRedLines(error);
  const field = (name: 'code' | 'title', label: string, max: number) => (
    <label className="form-row">
      <span>{label}</span>
      <input
        type="text"
        aria-label={label}
        value={draft[name]}
        onChange={(e) => setDraft({ ...draft, [name]: e.target.value })}
        aria-invalid={of(name).length > 0}
      />
      <span className="muted counter">
        {charCount(draft[name])}/{max}
      </span>
      {of(name).map((p) => (
        <span key={p.rule} role="alert" className="error">
          {problemText(t, p)}
        </span>
      ))}
    </label>
  );
  return (
    <form
      className="phrase-form"
      aria-label={t('library.form')}
      onSubmit={(e) => {
        e.preventDefault();
        if (phraseProblems(draft).length === 0) onSave(draft);
      }}
    >
      <label className="form-row">
        <span>{t('library.group')}</span>
        <select aria-label={t('library.group')} value={draft.groupId} onChange={(e) => setDraft({ ...draft, groupId: e.target.value })}>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
      </label>
      {field('code', t('library.code'), PHRASE_LIMITS.code)}
      {field('title', t('library.title2'), PHRASE_LIMITS.title)}
      <label className="form-row">
        <span>{t('library.content')}</span>
        <textarea
          aria-label={t('library.content')}
          rows={5}
          value={draft.content}
          onChange={(e) => setDraft({ ...draft, content: e.target.value })}
          aria-invalid={of('content').length > 0}
        />
        <span className="muted counter">
          {charCount(draft.content)}/{PHRASE_LIMITS.content}
        </span>
        {of('content').map((p) => (
          <span key={p.rule} role="alert" className="error">
            {problemText(t, p)}
          </span>
        ))}
      </label>
      <p className="muted hint">{t('library.variablesHint')}</p>
      <div className="form-row phrase-form-image">
        <span>{t('library.image')}</span>
        <div className="phrase-image-field">
          {picture && draft.image ? (
            <img className="phrase-image" src={picture.url} alt={t('picker.image')} />
          ) : draft.saved && draft.image === undefined ? (
            <PhraseImageThumb phraseId={draft.id} image={draft.saved} />
          ) : null}
          <label className="button-like">
            {(draft.image ?? (draft.image === undefined ? draft.saved : null)) ? t('library.imageChange') : t('library.imageAdd')}
            <input
              type="file"
              hidden
              accept={IMAGE_MIMES.join(',')}
              data-testid="phrase-picture-input"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (!file) return;
                void readPicture(file).then((read) => {
                  if (typeof read === 'string') return setPictureRefused(read);
                  setPictureRefused(null);
                  setPicture({ url: read.url });
                  setDraft((d) => ({ ...d, image: { base64: read.base64 } }));
                });
              }}
            />
          </label>
          {(draft.image ?? (draft.image === undefined ? draft.saved : null)) && (
            <button
              type="button"
              className="link"
              onClick={() => {
                setPicture(null);
                setDraft((d) => ({ ...d, image: d.saved ? null : undefined }));
              }}
            >
              {t('library.imageRemove')}
            </button>
          )}
        </div>
        <span className="muted hint">{t('library.imageHint')}</span>
        {pictureRefused && (
          <span role="alert" className="error">
            {t(`composer.${pictureRefused}`, { max: pictureRefused === 'pictureSide' ? IMAGE_MAX_SIDE : IMAGE_MAX_BYTES / 1024 / 1024 })}
          </span>
        )}
      </div>
      {caught.length > 0 && refused.length === 0 && (
        <div className="red-line-note" role="note">
          {t('redLine.caught')}
          {caught.map((w) => (
            <mark key={w}>{w}</mark>
          ))}
        </div>
      )}
      {refused.length > 0 && (
        <p role="alert" className="error">
          {t(lead ? 'redLine.phraseWarnLead' : 'redLine.phraseRefused', { words: refused.join('、') })}
        </p>
      )}
      {error && coreProblems(error).length === 0 && refused.length === 0 && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      <div className="form-actions">
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        {lead && refused.length > 0 && (
          <button type="button" className="danger" onClick={() => onSave({ ...draft, confirmRedLines: true })}>
            {t('redLine.saveAnyway')}
          </button>
        )}
        <button type="submit" className="primary" disabled={phraseProblems(draft).length > 0}>
          {t('memo.save')}
        </button>
      </div>
    </form>
  );
}

export function draftOf(p: PickerPhrase): PhraseDraft {
  return { id: p.id, groupId: p.groupId, code: p.code, title: p.title, content: p.content, ...(p.image ? { saved: p.image } : {}) };
}
