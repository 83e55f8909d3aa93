import fs from 'node:fs';
import path from 'node:path';
import type { ExportJob } from '../../../shared/contract/logExport';
import { tempPathFor } from './output';

/**
 * A job as the recent list stores it: with the process that ran it, so another process's live job is
 * left alone, and on a hub the account that started it (each sees and fetches only their own).
 */
export type StoredJob = ExportJob & { pid?: number; by?: string };

/** `.<name>.<jobId>.part`, the writer's temporary name (see tempPathFor). */
const PART = /^\..+\.([A-Za-z0-9_-]+)\.part$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but is someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Still running elsewhere: another process (the CLI beside the app, or the app beside the CLI) that is
 * alive. A job recorded by this very process and not running here belonged to a core that is gone.
 */
function runningElsewhere(job: StoredJob): boolean {
  return job.pid !== undefined && job.pid !== process.pid && alive(job.pid);
}

/**
 * At the export service's start: jobs the list still shows as running were interrupted (the app or its
 * thread died), and their half files are removed, in exports/ and wherever their destination was.
 * In exports/ (ours alone) any other leftover `.part` file goes too. Returns the list with those jobs
 * marked `interrupted`.
 */
export function recoverLeftovers(
  recent: StoredJob[],
  exportsDir: string,
  now: number,
  log: (message: string, error?: unknown) => void,
): { recent: StoredJob[]; changed: boolean } {
  let changed = false;
  const live = new Set<string>();
  const out = recent.map((job): StoredJob => {
    if (job.status !== 'running') return job;
    if (runningElsewhere(job)) {
      live.add(job.id);
      return job;
    }
    changed = true;
    remove(tempPathFor(job.path, job.id), log);
    return { ...job, status: 'interrupted', finishedAt: job.finishedAt ?? now };
  });
  let names: string[] = [];
  try {
    names = fs.readdirSync(exportsDir);
  } catch {
    // no exports/ yet
  }
  for (const name of names) {
    const tag = PART.exec(name)?.[1];
    if (tag && !live.has(tag)) remove(path.join(exportsDir, name), log);
  }
  return { recent: out, changed };
}

function remove(file: string, log: (message: string, error?: unknown) => void): void {
  try {
    fs.rmSync(file, { force: true });
  } catch (error) {
    log(`could not remove the leftover ${file}`, error);
  }
}
