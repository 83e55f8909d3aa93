import { createLogger as createSharedLogger, describeDetail, parseLogLevel, type Logger, type LogLevel } from '../../shared/log/logger';

export type { Logger, LogLevel } from '../../shared/log/logger';

/** `JIEDAI_LOG_LEVEL=debug|info|warn|error` (default info) sets what every Node process of the app logs. */
export const LOG_LEVEL_ENV = 'JIEDAI_LOG_LEVEL';

/**
 * The logger of a Node process kind (`core`, `shell`, `host`, `cli`, `export`): lines on stderr,
 * prefixed with time, level and process name, an error's stack indented below. stdout stays for
 * what a command prints for its user.
 */
export function createLogger(processName: string, options: { level?: LogLevel; write?: (text: string) => void } = {}): Logger {
  const write = options.write ?? ((text: string) => void process.stderr.write(text));
  return createSharedLogger(processName, {
    level: options.level ?? parseLogLevel(process.env[LOG_LEVEL_ENV]),
    sink: (_level, line, detail) => {
      const more = describeDetail(detail);
      write(more ? `${line}\n${more.replace(/^/gm, '    ')}\n` : `${line}\n`);
    },
  });
}
