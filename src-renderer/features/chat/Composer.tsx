import { useEffect, useMemo, useRef, useState, type ClipboardEvent, type DragEvent, type KeyboardEvent } from 'react';
import { IMAGE_MAX_BYTES, IMAGE_MAX_SIDE, IMAGE_MIMES } from '../../../shared/domain/images';
import { REPLY_MAX_CHARS } from '../../../shared/domain/replyRules';
import type { PickerPhrase } from '../../../shared/domain/types';
import type { Translate } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useDeskStore } from '../../state/store';
import { initialPicker, pickerKey, pickerResults, PhrasePicker, type PickerState } from '../phrases/picker/PhrasePicker';
import { usePhrases } from '../phrases/picker/usePhrases';
import { fillVariables, firstUnfilled, PHRASE_VARIABLES, type VariableValues } from '../phrases/picker/variables';
import { fitsReply, MAX_WAITING_PICTURES, pasteInto, roomLeft, slashAt, type ComposerNotice } from './composerRules';
import { caughtWords } from '../../../shared/domain/redLines/matcher';
import { useClient } from '../../ipc/ClientContext';
import { useRedLineMatcher } from '../redLines/useRedLines';
import { EmojiPicker } from './EmojiPicker';
import { RedLineBackdrop, RedLineConfirm } from '../redLines/RedLineMarks';
import { fileOf, pictureOf, readPicture, type PendingPicture } from './picture';
import { phraseImage } from '../phrases/phraseImage';
import { PendingPictureView } from './PendingPictureView';
import { productCardText, type ProductCard } from '../../../shared/domain/productCard';
import { ProductPicker } from './ProductPicker';
import { ProductCardView } from './ProductCardView';

type Props = {
  conversationId: string;
  onSend: (text: string) => Promise<boolean>;
  variables: VariableValues;
  /** Sends a checked picture as its own reply (absent: this desk sends none). */
  onSendImage?: (base64: string) => Promise<boolean>;
  /** Whether the buyer's channel takes pictures. */
  images?: boolean;
  /** Sends a product card as its own reply (absent: this desk sends none). */
  onSendProduct?: (card: ProductCard) => Promise<boolean>;
  /** The products 商品 offers (the buyer's ordered ones). */
  products?: ProductCard[];
};

/** Product cards that may wait in the box for one send. */
const MAX_WAITING_CARDS = 3;

const UNFILLED = new RegExp(`\\{(${PHRASE_VARIABLES.join('|')})\\}`, 'g');

function noticeText(t: Translate, lang: string, notice: ComposerNotice): string {
  const n = (x: number) => x.toLocaleString(lang);
  const max = n(REPLY_MAX_CHARS);
  switch (notice.kind) {
    case 'slashNoMatch':
      return t('composer.slashNoMatch', { text: notice.text });
    case 'slashClosed':
      return t('composer.slashClosed', { text: notice.text });
    case 'pasteTooLong':
      return t('composer.pasteTooLong', { pasted: n(notice.pasted), current: n(notice.current), max });
    case 'tooLong':
      return t('composer.tooLong', { max });
    case 'phraseTooLong':
      return t('composer.phraseTooLong', { max });
    case 'picturesFull':
      return t('composer.picturesFull', { max: n(MAX_WAITING_PICTURES) });
    case 'cardsFull':
      return t('composer.cardsFull', { max: n(MAX_WAITING_CARDS) });
    case 'picture':
      return t(`composer.${notice.reason}`, {
        max: notice.reason === 'pictureSide' ? n(IMAGE_MAX_SIDE) : n(IMAGE_MAX_BYTES / 1024 / 1024),
      });
  }
}

/**
 * The reply box. Multi-line; the draft is kept per conversation (switching or reloading loses
 * nothing); the send key (Enter or Ctrl+Enter) is a setting and shown on the button. "/" (at the
 * start, or later after a space or a line break), Ctrl+/ or 短语 opens the phrase picker, and a
 * picked phrase goes in at the caret, so several stack in one reply (their pictures wait together,
 * up to four, and go after the text). Enter never sends a `/…` that picked no phrase,
 * and nothing past the reply limit gets in: each time, a line under the box says why. Red-line
 * words are marked as they are typed (a backdrop of text pieces behind the box) and a send that
 * holds one asks first: send anyway or go back and edit; either way the catch is counted.
 */
export function Composer({ conversationId, onSend, variables, onSendImage, images = false, onSendProduct, products = [] }: Props) {
  const { t, lang } = useT();
  const draft = useDeskStore((s) => s.drafts[conversationId] ?? '');
  const setDraft = useDeskStore((s) => s.setDraft);
  const sendKey = useDeskStore((s) => s.sendKey);
  const setSendKey = useDeskStore((s) => s.setSendKey);
  const [composing, setComposing] = useState(false);
  const { index, groups, markUsed } = usePhrases();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  // slash: the query is the draft after "/"; search: the picker has its own box (Ctrl+/).
  const [picker, setPicker] = useState<(PickerState & { mode: 'slash' | 'search' }) | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  // Where the caret is (the "/…" the picker reads ends there).
  const [caret, setCaret] = useState(draft.length);
  const [selectAfter, setSelectAfter] = useState<{ start: number; end: number } | null>(null);
  const [notice, setNotice] = useState<ComposerNotice | null>(null);
  const client = useClient();
  const matcher = useRedLineMatcher();
  const matches = useMemo(() => matcher.find(draft), [matcher, draft]);
  const [confirming, setConfirming] = useState<string[] | null>(null);
  const backdrop = useRef<HTMLDivElement>(null);
  const [emojiOpen, setEmojiOpen] = useState(false);
  const recentEmoji = useDeskStore((s) => s.recentEmoji);
  const useEmoji = useDeskStore((s) => s.useEmoji);
  // Pictures waiting to go with the next send (pasted, dropped, picked, or phrases'), in order.
  const [pictures, setPictures] = useState<PendingPicture[]>([]);
  const picturesNow = useRef(pictures);
  picturesNow.current = pictures;
  /** Adds a picture after those waiting; the same picture twice (two phrases with one QR code) waits once. */
  const addPicture = (read: PendingPicture) => {
    const now = picturesNow.current;
    if (now.some((p) => p.base64 === read.base64)) return;
    if (now.length >= MAX_WAITING_PICTURES) return setNotice({ kind: 'picturesFull' });
    picturesNow.current = [...now, read];
    setPictures(picturesNow.current);
  };
  const fileInput = useRef<HTMLInputElement>(null);
  const canPicture = images && onSendImage !== undefined;
  // Product cards waiting to go after the text (商品), in order.
  const [cards, setCards] = useState<ProductCard[]>([]);
  const [productsOpen, setProductsOpen] = useState(false);
  const addCard = (card: ProductCard) => {
    setProductsOpen(false);
    textarea.current?.focus();
    if (cards.length >= MAX_WAITING_CARDS) return setNotice({ kind: 'cardsFull' });
    const text = productCardText(card);
    if (!cards.some((c) => productCardText(c) === text)) setCards([...cards, card]);
  };

  /** Reads and checks a file; a refusal is said under the box and nothing is added. */
  const takePicture = async (file: Blob) => {
    if (!canPicture) return setNotice({ kind: 'picture', reason: 'pictureChannel' });
    const read = await readPicture(file);
    if (typeof read === 'string') return setNotice({ kind: 'picture', reason: read });
    setNotice(null);
    addPicture(read);
    textarea.current?.focus();
  };

  const slash = slashAt(draft, Math.min(caret, draft.length));
  const slashOpen = slash !== null && dismissed !== draft;
  const state: (PickerState & { mode: 'slash' | 'search' }) | null =
    picker?.mode === 'search' ? picker : slashOpen ? { ...(picker ?? initialPicker()), mode: 'slash', query: slash.query } : null;
  const results = useMemo(() => (state ? pickerResults(index, state) : []), [index, state]);

  useEffect(() => {
    if (picker?.mode === 'search') searchRef.current?.focus();
  }, [picker?.mode]);

  useEffect(() => {
    if (!selectAfter || !textarea.current) return;
    textarea.current.focus();
    textarea.current.setSelectionRange(selectAfter.start, selectAfter.end);
    setCaret(selectAfter.end);
    setSelectAfter(null);
  }, [selectAfter]);

  // A quote (引用) asked for the box: the caret goes to the end, after the quote.
  const composerFocus = useDeskStore((s) => s.composerFocus);
  const firstFocus = useRef(composerFocus);
  useEffect(() => {
    if (composerFocus === firstFocus.current) return;
    const end = textarea.current?.value.length ?? 0;
    setSelectAfter({ start: end, end });
  }, [composerFocus]);

  // An order card asked for a phrase with its variables: open the picker.
  const pickerRequest = useDeskStore((s) => s.pickerRequest);
  const firstRequest = useRef(pickerRequest);
  useEffect(() => {
    if (pickerRequest !== firstRequest.current) setPicker({ ...initialPicker(), mode: 'search' });
  }, [pickerRequest]);

  // A new conversation starts with the picker closed.
  useEffect(() => {
    setPicker(null);
    setDismissed(null);
    setNotice(null);
    setConfirming(null);
    setEmojiOpen(false);
    setPictures([]);
    setCards([]);
    setProductsOpen(false);
    setCaret(useDeskStore.getState().drafts[conversationId]?.length ?? 0);
  }, [conversationId]);

  const close = () => {
    if (state?.mode === 'slash') setDismissed(draft);
    setPicker(null);
    textarea.current?.focus();
  };

  const pick = (phrase: PickerPhrase) => {
    const filled = fillVariables(phrase.content, variables).text;
    // The "/…" the agent typed is replaced; from the search box, the phrase goes in at the caret.
    const el = textarea.current;
    const { start, end } =
      state?.mode === 'slash' && slash ? slash : { start: el?.selectionStart ?? draft.length, end: el?.selectionEnd ?? draft.length };
    const next = draft.slice(0, start) + filled + draft.slice(end);
    const at = start + filled.length;
    setPicker(null);
    if (!fitsReply(next)) {
      setNotice({ kind: 'phraseTooLong' });
      return;
    }
    setNotice(null);
    setDraft(conversationId, next);
    markUsed(phrase.id);
    // A phrase's picture (a size chart, a QR code) waits beside its words and goes with the send.
    if (phrase.image) void attachPhrasePicture(phrase.id, phrase.image.hash);
    // Point the agent at the first variable that still needs a value.
    const hole = firstUnfilled(next);
    setCaret(at);
    setSelectAfter(hole ?? { start: at, end: at });
  };

  const attachPhrasePicture = async (phraseId: string, hash: string) => {
    if (!canPicture) return setNotice({ kind: 'picture', reason: 'pictureChannel' });
    const got = await phraseImage(client, phraseId, hash);
    if (!got) return setNotice({ kind: 'picture', reason: 'pictureRead' });
    const read = pictureOf(Uint8Array.from(atob(got.base64), (c) => c.charCodeAt(0)));
    if (typeof read === 'string') return setNotice({ kind: 'picture', reason: read });
    addPicture(read);
  };

  /** An emoji goes in at the caret (replacing a selection), if the reply still fits. */
  const insertEmoji = (emoji: string) => {
    const el = textarea.current;
    const start = el?.selectionStart ?? draft.length;
    const end = el?.selectionEnd ?? draft.length;
    const next = draft.slice(0, start) + emoji + draft.slice(end);
    setEmojiOpen(false);
    if (!fitsReply(next)) {
      setNotice({ kind: 'tooLong' });
      textarea.current?.focus();
      return;
    }
    setNotice(null);
    setDraft(conversationId, next);
    useEmoji(emoji);
    setSelectAfter({ start: start + emoji.length, end: start + emoji.length });
  };

  const pickerHandlers = {
    onChange: (next: PickerState) => setPicker({ ...next, mode: state?.mode ?? 'search' }),
    onPick: pick,
    onClose: close,
  };

  const submit = (confirmed = false) => {
    if (!draft.trim() && pictures.length === 0 && cards.length === 0) return;
    // The red lines hold for the words of a waiting card too (a title the agent typed).
    const caught = caughtWords([...matches, ...cards.flatMap((c) => matcher.find(productCardText(c)))]);
    if (!confirmed && caught.length > 0) {
      setConfirming(caught);
      return;
    }
    setConfirming(null);
    if (!draft.trim()) return sendAttachments();
    const text = draft;
    setDraft(conversationId, '');
    setDismissed(null);
    setNotice(null);
    // Not saved even locally (the banner says why): the text comes back rather than vanish.
    void onSend(text).then((saved) => {
      if (!saved && !useDeskStore.getState().drafts[conversationId]) setDraft(conversationId, text);
    });
    // The text first, then the pictures (a phrase's size chart follows its words), then the cards.
    sendAttachments();
  };

  const sendAttachments = () => {
    const sendingPictures = onSendImage ? pictures : [];
    const sendingCards = onSendProduct ? cards : [];
    if (sendingPictures.length > 0) setPictures([]);
    if (sendingCards.length > 0) setCards([]);
    // One after another, in the order they wait; one not saved even locally comes back to the box.
    let queue = Promise.resolve();
    for (const p of sendingPictures) {
      queue = queue.then(async () => {
        if (!(await onSendImage!(p.base64))) setPictures((now) => (now.includes(p) ? now : [...now, p]));
      });
    }
    for (const c of sendingCards) {
      queue = queue.then(async () => {
        if (!(await onSendProduct!(c))) setCards((now) => (now.includes(c) ? now : [...now, c]));
      });
    }
    void queue;
  };

  const sendAnyway = () => {
    if (confirming) void client.call('redLines.recordCatches', { words: confirming, outcome: 'sent' });
    submit(true);
  };
  const backToEdit = () => {
    if (confirming) void client.call('redLines.recordCatches', { words: confirming, outcome: 'stopped' });
    setConfirming(null);
    const first = matches[0];
    setSelectAfter(first ? { start: first.start, end: first.end } : { start: draft.length, end: draft.length });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (composing || e.nativeEvent.isComposing) return; // an IME uses Enter to pick a candidate
    if (e.key === '/' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      setPicker({ ...initialPicker(), mode: 'search' });
      return;
    }
    if (state?.mode === 'slash' && pickerKey(e, state, results, pickerHandlers)) return;
    if (e.key !== 'Enter') return;
    const wantsSend = sendKey === 'enter' ? !e.shiftKey && !e.ctrlKey && !e.metaKey : e.ctrlKey || e.metaKey;
    if (wantsSend) {
      e.preventDefault();
      // A "/…" is the agent asking for a phrase: if none was picked, it is not for the buyer (the button still sends it).
      if (slash) setNotice({ kind: state?.mode === 'slash' ? 'slashNoMatch' : 'slashClosed', text: draft.slice(slash.start, slash.end) });
      else submit();
    }
  };

  // A paste that would pass the limit is refused whole: the box keeps what it had, nothing is cut.
  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const file = fileOf(e.clipboardData);
    if (file) {
      e.preventDefault();
      void takePicture(file);
      return;
    }
    const el = e.currentTarget;
    const outcome = pasteInto(draft, el.selectionStart, el.selectionEnd, e.clipboardData.getData('text/plain'));
    if ('notice' in outcome) {
      e.preventDefault();
      setNotice(outcome.notice);
    }
  };

  const left = roomLeft(draft);

  // A file dropped anywhere on the reply box is a picture to send (text drops are the textarea's own).
  const dropsFile = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
  const onDragOver = (e: DragEvent<HTMLFormElement>) => {
    if (dropsFile(e)) e.preventDefault();
  };
  const onDrop = (e: DragEvent<HTMLFormElement>) => {
    const file = fileOf(e.dataTransfer);
    if (!file) return;
    e.preventDefault();
    void takePicture(file);
  };

  const unfilled = [...new Set([...draft.matchAll(UNFILLED)].map((m) => m[0]))];

  return (
    <form
      className="composer"
      onDragOver={onDragOver}
      onDrop={onDrop}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {state && (
        <PhrasePicker
          state={state}
          index={index}
          groups={groups}
          searchBox={state.mode === 'search'}
          searchRef={searchRef}
          {...pickerHandlers}
        />
      )}
      {productsOpen && (
        <ProductPicker
          products={products}
          onPick={addCard}
          onClose={() => {
            setProductsOpen(false);
            textarea.current?.focus();
          }}
        />
      )}
      {cards.map((c) => (
        <ProductCardView key={productCardText(c)} card={c} onRemove={() => setCards((now) => now.filter((x) => x !== c))} />
      ))}
      {pictures.map((p) => (
        <PendingPictureView key={p.url} picture={p} onRemove={() => setPictures((now) => now.filter((q) => q !== p))} />
      ))}
      <div className="composer-box">
        <RedLineBackdrop ref={backdrop} text={draft} matches={matches} />
        <textarea
          ref={textarea}
          aria-label={t('composer.label')}
          placeholder={sendKey === 'enter' ? t('composer.placeholder') : t('composer.placeholderCtrl')}
          value={draft}
          rows={3}
          onChange={(e) => {
            // Typing or dropping past the limit: the box stays as it was (a paste is checked before it lands).
            if (!fitsReply(e.target.value)) return setNotice({ kind: 'tooLong' });
            setNotice(null);
            setDraft(conversationId, e.target.value);
            setCaret(e.target.selectionStart);
          }}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
          onPaste={onPaste}
          onKeyDown={onKeyDown}
          onCompositionStart={() => setComposing(true)}
          onCompositionEnd={() => setComposing(false)}
          onScroll={(e) => {
            if (backdrop.current) backdrop.current.scrollTop = e.currentTarget.scrollTop;
          }}
          aria-invalid={matches.length > 0}
        />
      </div>
      {matches.length > 0 && (
        <div className="red-line-note" role="note">
          {t('redLine.caught')}
          {caughtWords(matches).map((w) => (
            <mark key={w}>{w}</mark>
          ))}
        </div>
      )}
      {confirming && <RedLineConfirm words={confirming} onSend={sendAnyway} onEdit={backToEdit} />}
      {emojiOpen && (
        <EmojiPicker
          recent={recentEmoji}
          onPick={insertEmoji}
          onClose={() => {
            setEmojiOpen(false);
            textarea.current?.focus();
          }}
        />
      )}
      <div className="composer-actions">
        <button
          type="button"
          className="emoji-button"
          aria-label={t('emoji.open')}
          aria-expanded={emojiOpen}
          title={t('emoji.open')}
          onClick={() => setEmojiOpen((o) => !o)}
        >
          😊
        </button>
        <button
          type="button"
          className="phrase-button"
          aria-expanded={picker?.mode === 'search'}
          title={t('composer.phrasesHint')}
          onClick={() => (picker?.mode === 'search' ? close() : setPicker({ ...initialPicker(), mode: 'search' }))}
        >
          {t('composer.phrases')}
        </button>
        {onSendProduct && (
          <button
            type="button"
            className="product-button"
            aria-expanded={productsOpen}
            title={t('product.buttonHint')}
            onClick={() => setProductsOpen((o) => !o)}
          >
            {t('product.button')}
          </button>
        )}
        {onSendImage && (
          <>
            <button
              type="button"
              className="picture-button"
              title={canPicture ? t('composer.pictureAdd') : t('composer.pictureNotHere')}
              disabled={!canPicture}
              onClick={() => fileInput.current?.click()}
            >
              {t('composer.picture')}
            </button>
            <input
              ref={fileInput}
              type="file"
              hidden
              accept={IMAGE_MIMES.join(',')}
              data-testid="composer-picture-input"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void takePicture(file);
              }}
            />
          </>
        )}
        {unfilled.length > 0 && (
          <div className="unfilled" role="note">
            {t('composer.unfilled')}
            {unfilled.map((v) => (
              <mark key={v}>{v}</mark>
            ))}
          </div>
        )}
        <span className="spacer" />
        {left !== null && (
          <span className={`reply-counter${left === 0 ? ' full' : ''}`} aria-live="polite">
            {left === 0
              ? t('composer.full', { max: REPLY_MAX_CHARS.toLocaleString(lang) })
              : t('composer.left', { left: left.toLocaleString(lang) })}
          </span>
        )}
        <label className="send-key">
          <span className="muted">{t('composer.sendKeyLabel')}</span>
          <select
            aria-label={t('composer.sendKeyLabel')}
            value={sendKey}
            onChange={(e) => setSendKey(e.target.value === 'ctrlEnter' ? 'ctrlEnter' : 'enter')}
          >
            <option value="enter">Enter</option>
            <option value="ctrlEnter">Ctrl+Enter</option>
          </select>
        </label>
        <button type="submit" className="primary" disabled={!draft.trim() && pictures.length === 0 && cards.length === 0}>
          {t('composer.send')}
          <span className="key-hint">{sendKey === 'enter' ? 'Enter' : 'Ctrl+Enter'}</span>
        </button>
      </div>
      {notice && (
        <p className="composer-notice" role="alert">
          {noticeText(t, lang, notice)}
        </p>
      )}
    </form>
  );
}
