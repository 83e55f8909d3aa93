/**
 * The one logging shape of every process kind (core, shell, host, CLI, export thread, renderer): a
 * line with the time, the level and the process name, then the message; an error's stack on the
 * lines after. Pure: each process hands in where lines go (src-main/platform/log.ts writes stderr,
 * src-renderer/ipc/log.ts the browser console). Output meant for a user (the CLI's results, the
 * host's address) is not logging and does not come here.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where one formatted line goes; `detail` is the extra argument as given (an Error, an object). */
export type LogSink = (level: LogLevel, line: string, detail: unknown) => void;

/** Each method may be passed on alone (`log.error` where a `(message, error?) => void` is asked for). */
export type Logger = { readonly [L in LogLevel]: (message: string, detail?: unknown) => void } & {
  readonly level: LogLevel;
  /** The same sink and level under a sub-name (`core/export`). */
  child(name: string): Logger;
};

/** A known level name (any case), or the fallback. */
export function parseLogLevel(raw: unknown, fallback: LogLevel = 'info'): LogLevel {
  const name = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  return (LOG_LEVELS as readonly string[]).includes(name) ? (name as LogLevel) : fallback;
}

/** An error as text: its stack (which starts with the message) or its message; anything else as JSON where it can be. */
export function describeDetail(detail: unknown): string {
  if (detail === undefined) return '';
  if (detail instanceof Error) return detail.stack ?? `${detail.name}: ${detail.message}`;
  if (typeof detail === 'string') return detail;
  try {
    return JSON.stringify(detail) ?? String(detail);
  } catch {
    return String(detail);
  }
}

export function formatLine(at: Date, level: LogLevel, processName: string, message: string): string {
  return `${at.toISOString()} ${level.toUpperCase().padEnd(5)} [${processName}] ${message}`;
}

export function createLogger(processName: string, options: { level: LogLevel; sink: LogSink; now?: () => Date }): Logger {
  const now = options.now ?? (() => new Date());
  const threshold = LOG_LEVELS.indexOf(options.level);
  const method = (level: LogLevel) => (message: string, detail?: unknown) => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    options.sink(level, formatLine(now(), level, processName, message), detail);
  };
  return {
    level: options.level,
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    child: (name) => createLogger(`${processName}/${name}`, options),
  };
}
