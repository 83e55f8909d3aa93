// The Electron main process: lifecycle, one window, and routes to the core. No SQL and no business
// rules here: the core (a worker thread) owns the data; this file only wires things together.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, ipcMain, session, type BrowserWindow } from 'electron';
import { badgeStep } from './badge';
import { fail } from '../../shared/contract/errors';
import type { Lang } from '../../shared/domain/lang';
import { translate } from '../../shared/i18n';
import { CoreClient, CoreStartError } from '../core/coreClient';
import { isFromDeskWindow } from './deskFrame';
import { exportSaveStep, reportSaveStep } from './exportDialog';
import { connectionOf, disconnectWhenDestroyed, forwardCoreEvents, registerContractHandlers } from './ipc';
import { registerAppScheme, serveRenderer } from './protocol';
import { shellLog } from './shellLog';
import { chosenDataDir, parseShellArgs } from './shellArgs';
import { createDeskWindow, hardenSession, hardenWebContents } from './window';

const here = path.dirname(fileURLToPath(import.meta.url)); // dist/main/app
const RENDERER_DIR = path.resolve(here, '../../renderer');
const PRELOAD = path.join(here, 'preload.cjs');
const ICON = path.join(app.getAppPath(), 'resources', 'icons', '512x512.png');

const log = shellLog.error;

// Both must happen before `ready`, hence at the top level of the entry module.
registerAppScheme();
app.enableSandbox();

const args = parseShellArgs(process.argv.slice(1), process.cwd());
const dataDir = chosenDataDir(args, process.env, process.cwd());

/** Points userData (and the Chromium session beside it) at a chosen data folder. */
function useDataDir(dir: string): string | null {
  try {
    fs.mkdirSync(dir, { recursive: true });
    app.setPath('userData', dir);
    app.setPath('sessionData', dir);
    return null;
  } catch (error) {
    return `Cannot use the data folder ${dir}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

const startupError = args.errors.length > 0 ? args.errors.join('\n') : dataDir ? useDataDir(dataDir) : null;
if (startupError) {
  dialog.showErrorBox('Jiedai', startupError);
  app.exit(2);
} else if (!app.requestSingleInstanceLock()) {
  app.quit(); // the running desk gets 'second-instance' and comes to the front
} else {
  run();
}

function run(): void {
  let window: BrowserWindow | null = null;
  let core: Promise<CoreClient> | null = null;
  let shuttingDown = false;

  const showWindow = () => {
    if (!window || window.isDestroyed()) {
      window = createDeskWindow({ preload: PRELOAD, icon: ICON, devTools: !app.isPackaged });
      window.on('closed', () => {
        window = null;
      });
      return;
    }
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  app.on('second-instance', () => {
    if (app.isReady()) showWindow();
  });
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents);
    disconnectWhenDestroyed(contents, {
      disconnect: (connection) =>
        void core?.then(
          (c) => c.disconnect(connection),
          () => undefined,
        ),
    });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && !window) showWindow();
  });

  // Close the database (checkpointing the WAL) before the process ends: prevent the first quit,
  // wait for the core, then exit (app.exit emits no second before-quit).
  app.on('before-quit', (event) => {
    if (!core) return;
    event.preventDefault();
    if (shuttingDown) return;
    shuttingDown = true;
    void core
      .then(
        (c) => c.close(),
        () => undefined,
      )
      .catch((error: unknown) => log('the core did not close cleanly', error))
      .finally(() => app.exit(0));
  });

  void app.whenReady().then(() => {
    hardenSession(session.defaultSession);
    serveRenderer(RENDERER_DIR, log);
    const finalDataDir = app.getPath('userData');
    const lang: Lang = app.getLocale().toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
    // The window loads while the core starts; calls that arrive meanwhile wait for it.
    const started = CoreClient.start({
      dataDir: finalDataDir,
      // `npm start` points this at the Electron build in .native/. An installed app uses the addon
      // electron-builder rebuilt, and ignores the variable: no environment loads native code into it.
      nativeBinding: app.isPackaged ? undefined : process.env.JIEDAI_NATIVE_BINDING,
      ...(args.demoBuyers ? { demoBuyers: args.demoBuyers } : {}),
      version: app.getVersion(),
      // A desk that joined a team reaches its hub over a WebSocket (tier 2); a standalone one never connects.
      hubLink: 'websocket',
      lang,
    });
    core = started;
    started.then(
      (c) =>
        forwardCoreEvents(c, () => {
          const contents = window && !window.isDestroyed() ? window.webContents : null;
          return contents
            ? { url: () => contents.getURL(), send: (channel, name, payload) => contents.send(channel, name, payload) }
            : null;
        }),
      (error: unknown) => {
        log('the core did not start', error);
        // A data-folder fault arrives as a sentence in the system's language; say it as it is.
        const sentence = error instanceof CoreStartError && error.fault ? error.message : null;
        dialog.showErrorBox(
          translate(lang, 'fault.dialogTitle'),
          sentence ??
            translate(lang, 'fault.dialogDetail', { message: error instanceof Error ? error.message : String(error), where: finalDataDir }),
        );
        core = null;
        app.exit(1);
      },
    );
    registerContractHandlers(
      ipcMain,
      {
        call: (method, callArgs, connection, shell) =>
          started.then(
            (c) => c.call(method, callArgs, connection, shell),
            () => fail('unavailable', 'the core did not start'),
          ),
      },
      { isTrusted: (event) => isFromDeskWindow(event, window), connectionOf: (event) => connectionOf(event.sender) },
      log,
      {
        // The renderer never names a file: the owner picks it here, in the system's own dialog.
        'logExport.start': exportSaveStep({
          showSaveDialog: (options) =>
            window && !window.isDestroyed() ? dialog.showSaveDialog(window, options) : dialog.showSaveDialog(options),
          defaultFolder: () => app.getPath('documents'),
          exists: (file) => fs.existsSync(file),
        }),
        'reports.export': reportSaveStep({
          showSaveDialog: (options) =>
            window && !window.isDestroyed() ? dialog.showSaveDialog(window, options) : dialog.showSaveDialog(options),
          defaultFolder: () => app.getPath('documents'),
          exists: (file) => fs.existsSync(file),
        }),
        'app.badge': badgeStep({
          setBadgeCount: (count) => void app.setBadgeCount(count),
          flash: () => window && !window.isDestroyed() && window.flashFrame(true),
          isFocused: () => !!window && !window.isDestroyed() && window.isFocused(),
        }),
      },
    );
    showWindow();
  });
}
