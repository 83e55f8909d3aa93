import { AppError, type ContractError, type Result } from '../../shared/contract/errors';
import type { ExportFilters, ExportJob, ExportLocale, ExportPreview, ExportStartArgs } from '../../shared/contract/logExport';
import { translate } from '../../shared/i18n';
import { createLogger } from '../platform/log';
import { MAX_REMOTE_EXPORT_BYTES, type ChosenDestination, type ExportService, type RemoteJob } from '../services/logExport/exportService';
import type { TeamConfig } from './teamSettings';

export type HubExportOptions = {
  /** How often the desk asks the hub how its job is doing. */
  pollMs?: number;
  /** The hub out of reach this long while a job runs: the job fails here (it needs the hub). */
  lostAfterMs?: number;
  /** No byte of the file for this long: the fetch is given up. */
  stallMs?: number;
  maxBytes?: number;
  log?: (message: string, error?: unknown) => void;
  now?: () => number;
};

export type HubExportDeps = {
  /** A call on the desk's link to the hub (TeamSync.forward: `unavailable` at once when it is down). */
  forward: (method: string, args: unknown) => Promise<Result<unknown>>;
  /** The hub's address and this desk's session token (read at each fetch: a new sign-in may change them). */
  config: () => TeamConfig | null;
  logExport: Pick<ExportService, 'startRemote'>;
  /** The HTTP client (default: Node's fetch). */
  fetch?: typeof fetch;
};

const JOB_ID = /^[A-Za-z0-9_-]{1,64}$/;
const STATUSES = new Set(['running', 'done', 'cancelled', 'failed', 'interrupted']);

/** The hub's job as the desk needs it, or null when what came is not one. */
function readJob(value: unknown, jobId: string): Pick<ExportJob, 'status' | 'done' | 'total' | 'bytes' | 'error'> | null | 'absent' {
  if (!Array.isArray(value)) return null;
  const job = (value as unknown[]).find((j) => typeof j === 'object' && j !== null && (j as { id?: unknown }).id === jobId) as
    Record<string, unknown> | undefined;
  if (!job) return 'absent';
  const count = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (!STATUSES.has(job.status as string) || !count(job.done) || !count(job.total)) return null;
  if (job.bytes !== null && !count(job.bytes)) return null;
  return {
    status: job.status as ExportJob['status'],
    done: job.done as number,
    total: job.total as number,
    bytes: job.bytes as number | null,
    ...(typeof job.error === 'string' ? { error: job.error.slice(0, 500) } : {}),
  };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * The chat-log export of a desk in team mode (issue 12): it runs on the hub over the whole shop,
 * with the same filters and formats, and the owner's screen is the standalone one. The desk starts
 * the job on the hub (authorised there by the account's stored role), keeps it as its own running
 * job under the hub's id, asks the hub how it is doing every `pollMs` and relays that as its own
 * `logExport.progress`; when the hub is done the desk fetches the file over HTTP
 * (`GET /api/exports/:jobId` with its session token; streamed, exactly the size the hub said, at most
 * `maxBytes`) and writes it where its shell asked, then says `logExport.finished` as for an export
 * of its own. Cancel reaches the hub. Without the hub, a sentence says the export needs it.
 */
export function createHubExport(deps: HubExportDeps, options: HubExportOptions = {}) {
  const pollMs = options.pollMs ?? 500;
  const lostAfterMs = options.lostAfterMs ?? 60_000;
  const stallMs = options.stallMs ?? 60_000;
  const maxBytes = options.maxBytes ?? MAX_REMOTE_EXPORT_BYTES;
  const log = options.log ?? createLogger('core').error;
  const now = options.now ?? Date.now;
  const fetchImpl = deps.fetch ?? fetch;

  /** The hub's refusal as the desk's: out of reach is the sentence that the export needs the hub. */
  function refusal(error: ContractError, locale: ExportLocale): AppError {
    if (error.code === 'unavailable') return new AppError('unavailable', translate(locale, 'exports.needsHub'), { needsHub: true });
    return new AppError(error.code, error.message);
  }

  async function fetchFile(job: RemoteJob, bytes: number | null, rows: number, locale: ExportLocale): Promise<void> {
    const failed = (reason: string) => {
      if (!job.ended()) job.finish('failed', 0, null, translate(locale, 'exports.fetchFailed', { reason }));
    };
    const config = deps.config();
    if (!config) return failed('this desk is no longer a member of a team');
    if (bytes === null || bytes > maxBytes) return failed(`the file is larger than ${maxBytes} bytes`);
    const stall = new AbortController();
    let timer = setTimeout(() => stall.abort(), stallMs);
    const kick = () => {
      clearTimeout(timer);
      timer = setTimeout(() => stall.abort(), stallMs);
    };
    try {
      const base = config.hubUrl.endsWith('/') ? config.hubUrl : `${config.hubUrl}/`;
      const url = new URL(`api/exports/${encodeURIComponent(job.jobId)}`, base);
      const response = await fetchImpl(url, {
        headers: { authorization: `Bearer ${config.token}` },
        signal: AbortSignal.any([job.signal, stall.signal]),
        redirect: 'error',
      });
      if (!response.ok || !response.body) {
        await response.body?.cancel().catch(() => undefined);
        return failed(`HTTP ${response.status}`);
      }
      if (Number(response.headers.get('content-length')) !== bytes) {
        await response.body.cancel().catch(() => undefined);
        return failed('the file is not the size the hub said');
      }
      const body = response.body;
      const chunks = async function* () {
        for await (const chunk of body as AsyncIterable<Uint8Array>) {
          kick();
          yield chunk;
        }
      };
      const written = await job.receive(chunks(), bytes);
      if (!job.ended()) job.finish('done', rows, written);
    } catch (error) {
      if (job.ended()) return;
      log(`fetching export ${job.jobId} from the hub failed`, error);
      failed(stall.signal.aborted ? 'the hub stopped sending' : error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
    }
  }

  /** Follows the job on the hub until it ends there, relaying its progress, then fetches its file. */
  async function follow(job: RemoteJob, locale: ExportLocale): Promise<void> {
    let heard = now();
    while (!job.ended()) {
      await sleep(pollMs, job.signal);
      if (job.ended()) return;
      const answer = await deps.forward('logExport.list', {});
      if (job.ended()) return;
      if (!answer.ok) {
        if (answer.error.code === 'unavailable' && now() - heard < lostAfterMs) continue;
        return job.finish(
          'failed',
          0,
          null,
          answer.error.code === 'unavailable' ? translate(locale, 'exports.hubLost') : answer.error.message,
        );
      }
      heard = now();
      const state = readJob(answer.value, job.jobId);
      if (state === null) return job.finish('failed', 0, null, 'the hub answered with something that is not a job list');
      if (state === 'absent' || state.status === 'interrupted') return job.finish('failed', 0, null, translate(locale, 'exports.hubLost'));
      if (state.status === 'running') {
        job.progress(state.done, state.total);
        continue;
      }
      if (state.status === 'done') {
        job.progress(state.done, state.done);
        return fetchFile(job, state.bytes, state.done, locale);
      }
      return job.finish(state.status, state.done, null, state.error);
    }
  }

  return {
    /** The count, over the whole shop on the hub. */
    async preview(filters: ExportFilters): Promise<ExportPreview> {
      const answer = await deps.forward('logExport.preview', filters);
      if (!answer.ok) throw refusal(answer.error, 'zh-CN');
      return answer.value as ExportPreview;
    },

    /** Starts the export on the hub; the answer is the job (the hub's id) and where its file will be on this desk. */
    async start(args: ExportStartArgs, chosen: ChosenDestination | undefined): Promise<{ jobId: string; path: string }> {
      const job = await deps.logExport.startRemote(args, chosen, {
        begin: async () => {
          const answer = await deps.forward('logExport.start', args);
          if (!answer.ok) throw refusal(answer.error, args.locale);
          const jobId = (answer.value as { jobId?: unknown } | null)?.jobId;
          if (typeof jobId !== 'string' || !JOB_ID.test(jobId)) throw new AppError('internal', 'the hub did not start the export');
          return jobId;
        },
        cancel: (jobId) => {
          void deps.forward('logExport.cancel', { jobId }).then((r) => {
            if (!r.ok && r.error.code !== 'not_found') log(`the hub did not cancel export ${jobId}: ${r.error.message}`);
          });
        },
      });
      void follow(job, args.locale).catch((error: unknown) => {
        log(`following export ${job.jobId} on the hub failed`, error);
        if (!job.ended()) job.finish('failed', 0, null, error instanceof Error ? error.message : String(error));
      });
      return { jobId: job.jobId, path: job.path };
    },
  };
}

export type HubExport = ReturnType<typeof createHubExport>;
