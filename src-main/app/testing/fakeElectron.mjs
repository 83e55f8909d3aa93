// A stand-in for the parts of Electron's main-process API the shell uses, so the bundled main.js can
// run in plain Node (the Electron runtime cannot be downloaded on the build machines). It records
// what the shell does and lets mainProcess.test.ts drive it over the fork IPC channel. It imitates
// Electron's documented behaviour; it proves the wiring, not Electron itself.
import { EventEmitter } from 'node:events';

const report = (message) => process.send?.(message);
const state = {
  paths: { userData: '/fake/userData', sessionData: '/fake/userData', documents: '/fake/documents' },
  schemes: [],
  protocolHandlers: new Map(),
  ipcHandlers: new Map(),
  permission: { request: null, check: null, device: null },
  windows: [],
  sent: [],
  opened: [],
  saveDialogs: [],
  saveAnswers: [],
};

class FakeApp extends EventEmitter {
  isPackaged = false;
  ready = false;
  getAppPath() {
    return process.cwd();
  }
  getVersion() {
    return '0.0.0-test';
  }
  getLocale() {
    return 'zh-CN';
  }
  getPath(name) {
    return state.paths[name];
  }
  setPath(name, value) {
    state.paths[name] = value;
    report({ type: 'setPath', name, value });
  }
  enableSandbox() {
    report({ type: 'enableSandbox' });
  }
  requestSingleInstanceLock() {
    report({ type: 'singleInstanceLock' });
    return true;
  }
  isReady() {
    return this.ready;
  }
  whenReady() {
    return new Promise((resolve) => setTimeout(() => ((this.ready = true), this.emit('ready'), resolve()), 10));
  }
  quit() {
    const event = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    this.emit('before-quit', event);
    report({ type: 'beforeQuit', prevented: event.defaultPrevented });
    if (!event.defaultPrevented) this.exit(0);
  }
  exit(code = 0) {
    report({ type: 'exit', code });
    setTimeout(() => process.exit(code), 20);
  }
}

export const app = new FakeApp();

export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    if (app.ready) throw new Error('registerSchemesAsPrivileged after ready');
    state.schemes.push(...schemes);
  },
  handle(scheme, handler) {
    state.protocolHandlers.set(scheme, handler);
  },
};

export const ipcMain = {
  handle(channel, listener) {
    if (state.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    state.ipcHandlers.set(channel, listener);
  },
  removeHandler(channel) {
    state.ipcHandlers.delete(channel);
  },
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (h) => (state.permission.request = h),
    setPermissionCheckHandler: (h) => (state.permission.check = h),
    setDevicePermissionHandler: (h) => (state.permission.device = h),
  },
};

export const dialog = {
  showErrorBox: (title, content) => report({ type: 'errorBox', title, content }),
  // Answers with what the test queued ('saveAnswer'), else as if the owner closed the dialog.
  showSaveDialog: async (...args) => {
    const options = args.length > 1 ? args[1] : args[0];
    state.saveDialogs.push({ options, withWindow: args.length > 1 });
    return state.saveAnswers.shift() ?? { canceled: true };
  },
};
export const shell = { openExternal: async (url) => void state.opened.push(url) };

let nextId = 1;
class FakeWebContents extends EventEmitter {
  constructor() {
    super();
    this.id = nextId++;
    this.url = '';
    this.mainFrame = { processId: 4, routingId: 1, parent: null };
    Object.defineProperty(this.mainFrame, 'url', { get: () => this.url });
    this.windowOpenHandler = null;
  }
  getURL() {
    return this.url;
  }
  isDestroyed() {
    return false;
  }
  send(channel, ...args) {
    state.sent.push({ channel, args });
    report({ type: 'sent', channel, args });
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
}

export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new FakeWebContents();
    state.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
    report({ type: 'window', options: JSON.parse(JSON.stringify(options)) });
  }
  async loadURL(url) {
    this.webContents.url = url;
    report({ type: 'loadURL', url });
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  show() {}
  focus() {}
}

// ---- commands from the test -------------------------------------------------------------------

const desk = () => state.windows[0];

async function run(command) {
  switch (command.cmd) {
    case 'state':
      return {
        schemes: state.schemes,
        protocols: [...state.protocolHandlers.keys()],
        channels: [...state.ipcHandlers.keys()],
        paths: state.paths,
        windows: state.windows.length,
        permissionHandlers: Object.values(state.permission).every((h) => typeof h === 'function'),
      };
    case 'invoke': {
      const contents = desk().webContents;
      const frames = {
        desk: contents.mainFrame,
        subframe: { url: contents.url, processId: 4, routingId: 2, parent: contents.mainFrame },
      };
      const sender = command.from === 'other-window' ? new FakeWebContents() : contents;
      const event = { sender, senderFrame: frames[command.from] ?? frames.desk, processId: 4, frameId: 1 };
      const handler = state.ipcHandlers.get(command.channel);
      if (!handler) return { noHandler: true };
      return handler(event, command.args);
    }
    case 'fetch': {
      const response = await state.protocolHandlers.get('jiedai')(new Request(command.url, { method: command.method ?? 'GET' }));
      return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
    }
    case 'navigate': {
      const event = {
        url: command.url,
        defaultPrevented: false,
        preventDefault() {
          this.defaultPrevented = true;
        },
      };
      desk().webContents.emit('will-navigate', event);
      return { prevented: event.defaultPrevented };
    }
    case 'open': {
      const result = desk().webContents.windowOpenHandler({ url: command.url });
      await new Promise((r) => setTimeout(r, 5));
      return { action: result.action, opened: state.opened };
    }
    case 'permission': {
      const granted = await new Promise((resolve) =>
        state.permission.request(desk().webContents, command.permission, resolve, { requestingUrl: command.url }),
      );
      return { granted, check: state.permission.check(desk().webContents, command.permission, command.url, {}) };
    }
    case 'saveAnswer':
      state.saveAnswers.push(command.answer);
      return { queued: state.saveAnswers.length };
    case 'saveDialogs':
      return state.saveDialogs;
    case 'quit':
      app.quit();
      return { ok: true };
    default:
      throw new Error(`unknown command ${command.cmd}`);
  }
}

process.on('message', (command) => {
  run(command).then(
    (result) => report({ type: 'reply', id: command.id, result }),
    (error) => report({ type: 'reply', id: command.id, error: String(error?.stack ?? error) }),
  );
});
