import { createLogger } from '../platform/log';

/** The Electron main process's logger (`[shell]` on stderr; JIEDAI_LOG_LEVEL sets the level). */
export const shellLog = createLogger('shell');
