import { createLogger as createSharedLogger, parseLogLevel, type Logger, type LogLevel } from '../../shared/log/logger';

export type { Logger } from '../../shared/log/logger';

/** `localStorage.JIEDAI_LOG_LEVEL = 'debug'` in the window's devtools sets the level (default info). */
function storedLevel(): LogLevel {
  try {
    return parseLogLevel(globalThis.localStorage?.getItem('JIEDAI_LOG_LEVEL'));
  } catch {
    return 'info'; // storage refused (a sandboxed frame): the default
  }
}

/**
 * The renderer's logger (`desk`, `desk/sync`): the shared line format into the browser console,
 * the one place in the renderer that writes there. The detail goes as an object, so devtools shows
 * an error's stack and fields.
 */
export function createLogger(name: string): Logger {
  return createSharedLogger(name, {
    level: storedLevel(),
    sink: (level, line, detail) => {
      const write = level === 'error' ? console.error : level === 'warn' ? console.warn : level === 'info' ? console.info : console.debug;
      if (detail === undefined) write(line);
      else write(line, detail);
    },
  });
}

/** The desk's own logger. */
export const deskLog = createLogger('desk');
