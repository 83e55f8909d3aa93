import type { Command } from '../command';
import { backupsCommand } from './backups';
import { exportLogsCommand } from './exportLogs';
import { reportCommand } from './report';
import { seedDemoCommand } from './seedDemo';
import { statsCommand } from './stats';
import { hubCommand } from './hub';
import { joinCommand, teamCommand } from './team';
import { exportPhrasesCommand, importPhrasesCommand } from './phraseFiles';

/** Every `jiedai` command, in the order the usage lists them. Add a command: one file here, one line below. */
export const COMMANDS: readonly Command[] = [
  seedDemoCommand,
  statsCommand,
  importPhrasesCommand,
  exportPhrasesCommand,
  exportLogsCommand,
  reportCommand,
  backupsCommand,
  hubCommand,
  joinCommand,
  teamCommand,
];
