import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { isLang } from './i18n';
import { createClient } from './ipc/client';
import { useDeskStore } from './state/store';
import './styles.css';

// ?lang=en switches the interface language (and is remembered).
const requested = new URLSearchParams(window.location.search).get('lang');
if (isLang(requested)) useDeskStore.getState().setLang(requested);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App client={createClient()} />
    </StrictMode>,
  );
}
