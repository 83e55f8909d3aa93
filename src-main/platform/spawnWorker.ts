import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread whose entry lies relative to the calling module. From source (tests, tsx,
 * `npm run cli`) the caller's URL ends in .ts and the entry is a .ts file loaded through tsx; from
 * the bundle (dist/main/<entry>/x.js, see scripts/build-main.mjs) it is the bundled .js entry.
 */
export function spawnWorker(callerUrl: string, entry: { source: string; bundled: string }, options: WorkerOptions = {}): Worker {
  if (callerUrl.endsWith('.ts')) {
    const source = new URL(entry.source, callerUrl).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source)}); })`;
    return new Worker(boot, { ...options, eval: true });
  }
  return new Worker(new URL(entry.bundled, callerUrl), options);
}

/** The shape services are handed (the core passes `spawnWorker`), so a service never imports the platform's code. */
export type SpawnWorker = typeof spawnWorker;
