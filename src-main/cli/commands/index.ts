import type { Command } from '../command';
import { backupsCommand } from './backups';
import { exportLogsCommand } from './exportLogs';
import { seedDemoCommand } from './seedDemo';
import { statsCommand } from './stats';
import { hubCommand } from './hub';
import { exportRepliesCommand, importRepliesCommand } from './importReplies';

/** Every `jiedai` command, in the order the usage lists them. Add a command: one file here, one line below. */
export const COMMANDS: readonly Command[] = [seedDemoCommand, statsCommand, importRepliesCommand, exportRepliesCommand, exportLogsCommand, backupsCommand, hubCommand];
