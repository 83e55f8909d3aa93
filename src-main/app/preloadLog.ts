import { createLogger, type Logger } from '../../shared/log/logger';

/**
 * The preload's logger. The preload lives in the window's (sandboxed) renderer process and may
 * require only electron, so its lines go to that window's console, in the shared line format.
 */
export const preloadLog: Logger = createLogger('preload', {
  level: 'info',
  sink: (level, line, detail) => {
    const write = level === 'error' ? console.error : level === 'warn' ? console.warn : level === 'info' ? console.info : console.debug;
    if (detail === undefined) write(line);
    else write(line, detail);
  },
});
