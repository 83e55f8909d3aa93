import { widgetLang, wordsIn } from './lang';

/**
 * The script a shop puts on its pages (`<script src="https://hub/widget.js" async>`): a chat button
 * at the bottom right, and on click the chat in a frame from the hub's own origin (so nothing of the
 * shop's page can reach the chat, nor the chat the page). Small and dependency-free; styles are set
 * through the DOM (allowed by a shop's strict Content-Security-Policy, unlike inline style text).
 */
(() => {
  const marker = '__jiedaiWidget';
  const w = window as unknown as Record<string, unknown>;
  if (w[marker]) return;
  w[marker] = true;
  const script = document.currentScript as HTMLScriptElement | null;
  if (!script?.src) return;
  const origin = new URL(script.src).origin;
  const lang = widgetLang(new URL(script.src).search, navigator.languages ?? [navigator.language]);
  const t = wordsIn(lang);
  const narrow = () => window.innerWidth < 480;

  const button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('aria-label', t('widget.open'));
  button.title = t('widget.open');
  button.dataset.jiedai = 'open';
  Object.assign(button.style, {
    position: 'fixed',
    right: '20px',
    bottom: '20px',
    width: '56px',
    height: '56px',
    borderRadius: '50%',
    border: '0',
    background: '#1677ff',
    color: '#fff',
    boxShadow: '0 4px 14px rgba(22,119,255,.4)',
    cursor: 'pointer',
    zIndex: '2147483000',
    padding: '0',
  });
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '26');
  svg.setAttribute('height', '26');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute(
    'd',
    'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z',
  );
  svg.append(path);
  button.append(svg);

  let frame: HTMLIFrameElement | null = null;
  const place = () => {
    if (!frame) return;
    const full = narrow();
    Object.assign(
      frame.style,
      full
        ? { inset: '0', right: '0', bottom: '0', width: '100%', height: '100%', borderRadius: '0' }
        : { inset: '', right: '20px', bottom: '88px', width: '370px', height: 'min(600px, calc(100vh - 108px))', borderRadius: '12px' },
    );
  };
  const open = (show: boolean) => {
    if (show && !frame) {
      frame = document.createElement('iframe');
      frame.src = `${origin}/chat?embed=1&lang=${encodeURIComponent(lang)}&parent=${encodeURIComponent(location.origin)}`;
      frame.title = t('widget.title');
      frame.dataset.jiedai = 'chat';
      frame.setAttribute('allow', 'clipboard-write');
      Object.assign(frame.style, {
        position: 'fixed',
        border: '0',
        background: '#fff',
        boxShadow: '0 8px 30px rgba(0,0,0,.18)',
        zIndex: '2147483001',
      });
      place();
      document.body.append(frame);
    }
    if (frame) frame.style.display = show ? 'block' : 'none';
    button.style.display = show && narrow() ? 'none' : 'block';
    button.setAttribute('aria-expanded', String(show));
    button.setAttribute('aria-label', t(show ? 'widget.close' : 'widget.open'));
  };
  let shown = false;
  button.addEventListener('click', () => open((shown = !shown)));
  // The chat's frame keeps its buyer's token and unsent messages here, in the shop's own storage
  // (a third-party frame's storage is blocked or partitioned by browsers); only that frame may.
  const keptKey = `jiedai.widget.v1:${origin}`;
  const store = (): Storage | null => {
    try {
      return window.localStorage;
    } catch {
      return null;
    }
  };
  window.addEventListener('message', (event) => {
    if (event.origin !== origin || !frame || event.source !== frame.contentWindow) return;
    const data = event.data as { type?: unknown; value?: unknown } | string | null;
    if (data === 'jiedai:close') open((shown = false));
    else if (typeof data === 'object' && data?.type === 'jiedai:ready') {
      frame.contentWindow!.postMessage({ type: 'jiedai:kept', value: store()?.getItem(keptKey) ?? null }, origin);
    } else if (
      typeof data === 'object' &&
      data?.type === 'jiedai:keep' &&
      typeof data.value === 'string' &&
      data.value.length <= 256 * 1024
    ) {
      try {
        store()?.setItem(keptKey, data.value);
      } catch {
        // Storage full or refused: the chat goes on, the buyer starts afresh next time.
      }
    }
  });
  window.addEventListener('resize', place);

  // The button shows as soon as there is a body, before the shop's page has finished loading.
  const mount = () => document.body.append(button);
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
})();
