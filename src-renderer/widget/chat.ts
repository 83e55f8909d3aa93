import type { ToWidget, WidgetMessage, WidgetState } from '../../shared/channels/widgetProtocol';
import { ChatModel, type Pending } from './chatModel';
import { widgetLang, wordsIn } from './lang';
import type { WidgetWordKey } from './words';
import { parseProductCard, priceText, safeProductUrl } from '../../shared/domain/productCard';
import './chat.css';

/**
 * The buyer's chat (issue 13), in the widget's frame on the shop's site or as a full page (the QR
 * code's link). Plain DOM, no framework: every text is set as text (`textContent`), never parsed
 * as markup. What the buyer sends waits in an outbox with its own client id until the hub acks it;
 * on a new connection the outbox goes again and the history since the newest message held comes in,
 * so a flaky network neither loses nor doubles anything.
 */

const IMAGE_MAX_BYTES = 5 * 1024 * 1024;
const ORDER_NO = /^[A-Za-z0-9-]{4,40}$/;

const lang = widgetLang(location.search, navigator.languages ?? [navigator.language]);
const t = wordsIn(lang);
const embedded = new URLSearchParams(location.search).get('embed') === '1';
document.documentElement.lang = lang;

/**
 * Where the buyer's token and outbox are kept. In the shop's page the chat is a third-party frame,
 * whose storage browsers block or partition: the shop page's script (widget.js) keeps them in the
 * shop's own storage and hands them over by postMessage, to the shop's origin only. As a full page
 * the chat keeps them itself.
 */
const parentOrigin = embedded ? new URLSearchParams(location.search).get('parent') : null;
const keptByParent = embedded && parentOrigin !== null && /^https?:\/\/[^/]+$/.test(parentOrigin);
const storage: Pick<Storage, 'getItem' | 'setItem'> | null = keptByParent
  ? { getItem: () => null, setItem: (_key, value) => window.parent.postMessage({ type: 'jiedai:keep', value }, parentOrigin!) }
  : safeStorage();
const model = new ChatModel(storage);
let state: WidgetState | null = null;
let ws: WebSocket | null = null;
let ready = false;
let retryDelay = 500;
let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
let notice: WidgetWordKey | null = null;
const images = new Map<string, string>();

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** An element with a class and, if given, its text (always as text). */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// ── The frame of the page ──
const root = document.getElementById('jiedai-chat') ?? document.body.appendChild(el('main', ''));
root.classList.add('jc');
if (embedded) root.classList.add('jc-embedded');
const head = el('header', 'jc-head');
const title = el('div', 'jc-title', t('widget.title'));
const status = el('div', 'jc-status');
head.append(title, status);
if (embedded) {
  const close = el('button', 'jc-close', '×');
  close.type = 'button';
  close.setAttribute('aria-label', t('widget.close'));
  close.addEventListener('click', () => window.parent.postMessage('jiedai:close', '*'));
  head.append(close);
}
const banner = el('div', 'jc-banner');
banner.setAttribute('role', 'status');
const list = el('div', 'jc-list');
list.setAttribute('role', 'log');
list.setAttribute('aria-label', t('widget.title'));
const older = el('button', 'jc-older', t('widget.older'));
older.type = 'button';
older.addEventListener('click', () => {
  const oldest = model.oldest();
  if (oldest && ws && ready) ws.send(JSON.stringify({ type: 'older', before: oldest }));
});
const messagesBox = el('div', 'jc-messages');

// The composer: text, a picture, an order number.
const compose = el('form', 'jc-compose');
const input = el('textarea', 'jc-input');
input.rows = 1;
input.maxLength = 5000;
input.placeholder = t('widget.placeholder');
input.setAttribute('aria-label', t('widget.placeholder'));
const send = el('button', 'jc-send', t('widget.send'));
send.type = 'submit';
const imageButton = el('button', 'jc-tool jc-image', t('widget.image'));
imageButton.type = 'button';
const orderButton = el('button', 'jc-tool jc-order', t('widget.order'));
orderButton.type = 'button';
const file = el('input', 'jc-file');
file.type = 'file';
file.accept = 'image/png,image/jpeg,image/gif,image/webp';
file.hidden = true;
const tools = el('div', 'jc-tools');
tools.append(imageButton, orderButton, file);
const row = el('div', 'jc-row');
row.append(input, send);
compose.append(tools, row);

const orderForm = el('form', 'jc-orderform');
orderForm.hidden = true;
const orderInput = el('input', 'jc-orderinput');
orderInput.placeholder = t('widget.orderPrompt');
orderInput.setAttribute('aria-label', t('widget.orderPrompt'));
orderInput.maxLength = 40;
const orderSend = el('button', 'jc-send', t('widget.send'));
orderSend.type = 'submit';
orderForm.append(orderInput, orderSend);

// The offline form: a message and how to reach the buyer.
const offline = el('form', 'jc-offlineform');
offline.hidden = true;
const offlineText = el('p', 'jc-offlinetext');
const offlineMessage = el('textarea', 'jc-input');
offlineMessage.rows = 3;
offlineMessage.maxLength = 5000;
offlineMessage.setAttribute('aria-label', t('widget.placeholder'));
offlineMessage.placeholder = t('widget.placeholder');
const contact = el('input', 'jc-contact');
contact.maxLength = 200;
contact.placeholder = t('widget.contact');
contact.setAttribute('aria-label', t('widget.contact'));
const leave = el('button', 'jc-send', t('widget.leaveMessage'));
leave.type = 'submit';
offline.append(offlineText, offlineMessage, contact, leave);

list.append(older, messagesBox);
// Whether the buyer is at the bottom of the list (it then follows the newest message, also when a
// picture in it loads and grows it after it was drawn).
let atBottom = true;
list.addEventListener('scroll', () => (atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80), { passive: true });
root.append(head, banner, list, orderForm, offline, compose);

// ── Drawing ──
function bubble(from: 'buyer' | 'agent' | 'system', id: string, nick: string | null): { box: HTMLDivElement; body: HTMLDivElement } {
  const box = el('div', `jc-msg jc-${from}`);
  box.dataset.id = id;
  if (nick) box.append(el('div', 'jc-nick', nick));
  const body = el('div', 'jc-bubble');
  box.append(body);
  return { box, body };
}

function imageInto(body: HTMLElement, messageId: string): void {
  const img = el('img', 'jc-img');
  img.alt = t('widget.imageAlt');
  img.addEventListener('load', () => {
    if (atBottom) list.scrollTop = list.scrollHeight;
  });
  body.append(img);
  const known = images.get(messageId);
  if (known) {
    img.src = known;
    return;
  }
  if (!model.token) return;
  void fetch(`/widget/images/${encodeURIComponent(messageId)}`, { headers: { 'x-visitor-token': model.token } })
    .then((r) => (r.ok ? r.blob() : null))
    .then((blob) => {
      if (!blob) return;
      const url = URL.createObjectURL(blob);
      images.set(messageId, url);
      img.src = url;
    });
}

function draw(): void {
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const children: HTMLElement[] = [];
  if (state?.welcomeText) children.push(el('p', 'jc-welcome', state.welcomeText));
  for (const m of model.messages()) children.push(drawn(m));
  for (const p of model.pending) children.push(drawnPending(p));
  if (model.ended) children.push(el('p', 'jc-ended', t('widget.ended')));
  messagesBox.replaceChildren(...children);
  older.hidden = !model.hasMore;
  const offlineNow = state !== null && (!state.online || !state.open);
  status.textContent = state ? t(offlineNow ? 'widget.offline' : 'widget.online') : '';
  status.className = `jc-status ${offlineNow ? 'jc-off' : 'jc-on'}`;
  offline.hidden = !offlineNow;
  compose.hidden = offlineNow;
  if (offlineNow) offlineText.textContent = state?.offlineText || t('widget.offlineDefault');
  banner.textContent = notice ? t(notice) : '';
  banner.hidden = notice === null;
  if (nearBottom) list.scrollTop = list.scrollHeight;
}

function drawn(m: WidgetMessage): HTMLElement {
  const { box, body } = bubble(m.from, m.id, m.from === 'agent' ? m.agentNick || t('widget.agent') : null);
  if (m.kind === 'image') imageInto(body, m.id);
  else if (m.kind === 'product') productInto(body, m.text);
  else textInto(body, m.text);
  return box;
}

/** A reply that starts with a quote (the agent's 引用: 「…」 on the first line) shows it as a quote above the answer. */
function textInto(body: HTMLElement, text: string): void {
  const quote = /^「([^\n]*)」\n/.exec(text);
  if (!quote) {
    body.textContent = text;
    return;
  }
  body.append(el('div', 'jc-quote', quote[1]), document.createTextNode(text.slice(quote[0].length)));
}

/** A product card: title, variant, price, and its page's link (http/https only, opened in a new tab). */
function productInto(body: HTMLElement, text: string): void {
  const card = parseProductCard(text);
  if (!card) {
    body.textContent = text;
    return;
  }
  const box = el('div', 'jc-product');
  box.append(el('div', 'jc-product-title', card.title));
  if (card.sku) box.append(el('div', 'jc-product-sku', card.sku));
  if (card.priceCents !== null) box.append(el('div', 'jc-product-price', priceText(card.priceCents)));
  const url = card.url ? safeProductUrl(card.url) : null;
  if (url) {
    const a = el('a', 'jc-product-link', t('widget.productOpen'));
    a.href = url;
    a.target = '_blank';
    a.rel = 'noopener noreferrer nofollow';
    box.append(a);
  }
  body.append(box);
}

function drawnPending(p: Pending): HTMLElement {
  const { box, body } = bubble('buyer', p.clientId, null);
  box.classList.add('jc-pending');
  if (p.kind === 'image' && p.file) {
    const img = el('img', 'jc-img');
    img.alt = t('widget.imageAlt');
    img.src = URL.createObjectURL(p.file);
    body.append(img);
  } else body.textContent = p.kind === 'order' ? t('widget.orderNumberMessage', { orderNo: p.orderNo ?? '' }) : p.text;
  const meta = el('div', 'jc-meta');
  if (p.status === 'sending') meta.textContent = t('widget.sending');
  else {
    const reason =
      p.error === 'limit_exceeded' ? t('widget.throttled') : p.error === 'unavailable' ? t('widget.closedChat') : t('widget.failed');
    meta.append(el('span', 'jc-failed', reason));
    const retry = el('button', 'jc-retry', t('widget.retry'));
    retry.type = 'button';
    retry.addEventListener('click', () => {
      const again = model.retry(p.clientId);
      if (again) deliver(again);
      draw();
    });
    meta.append(retry);
  }
  box.append(meta);
  return box;
}

// ── Sending ──
function deliver(p: Pending): void {
  if (p.kind === 'image') return void upload(p);
  if (!ws || !ready) return;
  const frame =
    p.kind === 'order'
      ? { type: 'order', clientId: p.clientId, orderNo: p.orderNo }
      : p.kind === 'offline'
        ? { type: 'offline', clientId: p.clientId, text: p.text, contact: p.contact ?? '' }
        : { type: 'send', clientId: p.clientId, text: p.text };
  ws.send(JSON.stringify(frame));
}

async function upload(p: Pending): Promise<void> {
  if (!p.file) return;
  const hadToken = model.token !== null;
  try {
    const r = await fetch('/widget/images', {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'x-client-id': p.clientId,
        ...(model.token ? { 'x-visitor-token': model.token } : {}),
      },
      body: p.file,
    });
    const answer = (await r.json()) as { ok: boolean; token?: string; message?: WidgetMessage; error?: { code: string } };
    if (!r.ok || !answer.message) {
      model.refuse(p.clientId, answer.error?.code ?? 'internal');
      return draw();
    }
    if (answer.token && answer.token !== model.token) model.setToken(answer.token);
    images.set(answer.message.id, URL.createObjectURL(p.file));
    model.ack(p.clientId, answer.message);
    draw();
    // A picture that made this browser a buyer: the socket says hello again, as that buyer.
    if (!hadToken) reconnect(0);
  } catch {
    model.refuse(p.clientId, 'unavailable');
    draw();
  }
}

function queue(p: Omit<Pending, 'status' | 'at'>): void {
  const item = model.queue(p, Date.now());
  if (!item) return;
  deliver(item);
  draw();
}

compose.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  queue({ clientId: newClientId(), kind: 'text', text });
});
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    compose.requestSubmit();
  }
});
offline.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = offlineMessage.value.trim();
  if (!text) return;
  offlineMessage.value = '';
  queue({ clientId: newClientId(), kind: 'offline', text, contact: contact.value.trim() });
  notice = 'widget.left';
});
orderButton.addEventListener('click', () => {
  orderForm.hidden = !orderForm.hidden;
  if (!orderForm.hidden) orderInput.focus();
});
orderForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const orderNo = orderInput.value.trim();
  if (!ORDER_NO.test(orderNo)) {
    orderInput.setCustomValidity(t('widget.orderInvalid'));
    orderInput.reportValidity();
    return;
  }
  orderInput.setCustomValidity('');
  orderInput.value = '';
  orderForm.hidden = true;
  queue({ clientId: newClientId(), kind: 'order', text: '', orderNo });
});
imageButton.addEventListener('click', () => file.click());
file.addEventListener('change', () => {
  const picked = file.files?.[0];
  file.value = '';
  if (!picked) return;
  if (picked.size > IMAGE_MAX_BYTES) {
    notice = 'widget.imageTooBig';
    return draw();
  }
  queue({ clientId: newClientId(), kind: 'image', text: '', file: picked });
});

// ── The connection ──
function reconnect(delay: number): void {
  if (reconnectTimer) clearTimeout(reconnectTimer);
  reconnectTimer = setTimeout(connect, delay);
}

function connect(): void {
  reconnectTimer = undefined;
  ws?.close();
  ready = false;
  const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/widget/ws`);
  ws = socket;
  socket.addEventListener('open', () => {
    socket.send(JSON.stringify({ type: 'hello', token: model.token, after: model.newest() }));
  });
  socket.addEventListener('message', (event) => {
    if (socket !== ws || typeof event.data !== 'string') return;
    let frame: ToWidget;
    try {
      frame = JSON.parse(event.data) as ToWidget;
    } catch {
      return;
    }
    onFrame(frame);
  });
  socket.addEventListener('close', () => {
    if (socket !== ws) return;
    ready = false;
    notice = 'widget.reconnecting';
    draw();
    // Jittered doubling, 0.5 s to 10 s, as the desks reconnect.
    const delay = retryDelay * (0.5 + Math.random());
    retryDelay = Math.min(10_000, retryDelay * 2);
    reconnect(delay);
  });
}

function onFrame(frame: ToWidget): void {
  switch (frame.type) {
    case 'ready': {
      ready = true;
      retryDelay = 500;
      if (notice === 'widget.reconnecting') notice = null;
      state = frame.state;
      // A token the hub does not know (another hub, a forged one) is dropped; the browser starts afresh.
      if (model.token && !frame.token) model.setToken(null);
      model.merge(frame.messages);
      if (model.messages().length <= frame.messages.length) model.hasMore = frame.hasMore;
      for (const p of model.toResend()) {
        model.retry(p.clientId);
        deliver(p);
      }
      break;
    }
    case 'visitor':
      model.setToken(frame.token);
      break;
    case 'ack':
      model.ack(frame.clientId, frame.message);
      break;
    case 'message':
      model.merge([frame.message]);
      break;
    case 'older':
      model.merge(frame.messages);
      model.hasMore = frame.hasMore;
      break;
    case 'ended':
      model.ended = true;
      break;
    case 'state':
      state = frame.state;
      break;
    case 'refused': {
      if (!frame.clientId) break;
      model.refuse(frame.clientId, frame.code);
      // Throttled: tried again by itself once the hub says it may be.
      if (frame.code === 'limit_exceeded' && frame.retryAfterMs) {
        const id = frame.clientId;
        setTimeout(
          () => {
            const p = model.retry(id);
            if (p) deliver(p);
            draw();
          },
          Math.min(frame.retryAfterMs, 30_000),
        );
      }
      break;
    }
  }
  draw();
}

// A phone's network that goes away leaves the socket open but dead (no close until TCP gives up,
// minutes later): what the buyer sent on it would hang as 发送中. The browser knows first: the socket is
// dropped, what the buyer sends waits in the queue, and once the network is back the widget says hello
// again (the queue resent by its client ids, the replies it missed caught up).
window.addEventListener('offline', () => {
  if (reconnectTimer) clearTimeout(reconnectTimer);
  reconnectTimer = undefined;
  const socket = ws;
  ws = null;
  ready = false;
  socket?.close();
  notice = 'widget.reconnecting';
  draw();
});
window.addEventListener('online', () => {
  if (!ready) reconnect(0);
});
draw();
if (keptByParent) {
  // What the shop's page kept for this buyer; after a short wait without an answer the chat starts afresh.
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    draw();
    connect();
  };
  window.addEventListener('message', (event) => {
    if (event.source !== window.parent || event.origin !== parentOrigin) return;
    const data = event.data as { type?: unknown; value?: unknown } | null;
    if (data?.type !== 'jiedai:kept' || started) return;
    model.restore(typeof data.value === 'string' ? data.value : null);
    start();
  });
  window.parent.postMessage({ type: 'jiedai:ready' }, parentOrigin!);
  setTimeout(start, 1000);
} else connect();
