import { BrowserWindow, shell, type Session, type WebContents } from 'electron';
import { APP_ENTRY_URL } from './appOrigin';
import { externalLinkTarget, mayGrantPermission, mayNavigate } from './navigation';
import { shellLog } from './shellLog';

export type DeskWindowOptions = {
  preload: string;
  icon?: string;
  /** DevTools only in development (an unpackaged app). */
  devTools: boolean;
};

/** The desk's one window: sandboxed, isolated, no Node, loading only jiedai://app/. */
export function createDeskWindow(options: DeskWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    title: '接待 Jiedai',
    show: false,
    backgroundColor: '#f5f6f8',
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: options.devTools,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.loadURL(APP_ENTRY_URL).catch((error: unknown) => {
    // Show the (empty) window anyway rather than a desk that never appears; the log says why.
    shellLog.error('could not load the desk page', error);
    if (!window.isDestroyed()) window.show();
  });
  return window;
}

/**
 * Applied to every web contents the app ever creates (app `web-contents-created`), so a window
 * or view added later is hardened too: no navigation away from the desk, no new windows (http(s)
 * links go to the system browser), no <webview>.
 */
export function hardenWebContents(contents: WebContents): void {
  const refuse = (event: { preventDefault(): void }, url: string) => {
    if (!mayNavigate(url)) event.preventDefault();
  };
  contents.on('will-navigate', (event) => refuse(event, event.url));
  contents.on('will-frame-navigate', (event) => refuse(event, event.url));
  contents.on('will-redirect', (event) => refuse(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalLinkTarget(url);
    if (external) void shell.openExternal(external);
    return { action: 'deny' };
  });
}

/** Denies every permission and device request except writing text to the clipboard from the desk. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(mayGrantPermission(permission, details.requestingUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => mayGrantPermission(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);
}
