import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Result } from '../../shared/contract/errors';
import type { ExportDownload } from '../../shared/contract/logExport';
import type { CoreLink } from '../core/coreLink';
import { sendExportFile, type DownloadFile } from '../host/downloads';
import { bearer, NO_TOKEN, onceOn, sendError } from './http';

/** What the export route needs of the hub's core: calls on a connection, and a download ticket's file. */
export type ExportFilesCore = Pick<CoreLink, 'call' | 'disconnect'> & {
  redeemDownload(ticket: string): DownloadFile | null | Promise<DownloadFile | null>;
};

export type ExportRouteOptions = {
  core: ExportFilesCore;
  /** The hub's data folder's exports/: nothing outside it is ever served. */
  exportsDir: string;
  /** Fetches per client address in each window. */
  limits?: { max: number; windowMs: number };
};

const jobParams = {
  type: 'object',
  required: ['jobId'],
  additionalProperties: false,
  properties: { jobId: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } },
} as const;

/**
 * `GET /api/exports/:jobId` (issue 12): a team desk fetches the chat-log export it ran on the hub.
 * The request carries the desk's session token (`Authorization: Bearer`); the hub signs a one-call
 * connection in with it and asks its core for `logExport.download`, which is authorised there by
 * the account's stored role and answers only the job's creator (anyone else: 404, as for a job that
 * does not exist). The file is streamed with its length, and removed from the hub once sent whole,
 * so it is fetched once (unfetched files go after an hour: see the hub's export service).
 */
export function registerExportRoutes(app: FastifyInstance, options: ExportRouteOptions): void {
  const { core } = options;
  const limits = options.limits ?? { max: 60, windowMs: 60_000 };
  const limiter = app.createRateLimit({ max: limits.max, timeWindow: limits.windowMs, keyGenerator: (r) => `exports-ip:${r.ip}` });
  const byAddress = async (request: FastifyRequest, reply: FastifyReply) => {
    const verdict = await limiter(request);
    if (!verdict.isAllowed && verdict.isExceeded) {
      return sendError(reply.header('retry-after', String(Math.max(1, verdict.ttlInSeconds))), {
        code: 'limit_exceeded',
        message: 'too many export fetches: try again shortly',
      });
    }
  };

  app.get('/api/exports/:jobId', { onRequest: byAddress, schema: { params: jobParams } }, async (request, reply) => {
    const token = bearer(request);
    if (!token) return sendError(reply, NO_TOKEN);
    const { jobId } = request.params as { jobId: string };
    const answer: Result<DownloadFile | null> = await onceOn(core, token, async (call) => {
      const ticket = await call('logExport.download', { jobId });
      if (!ticket.ok) return ticket;
      return { ok: true as const, value: await core.redeemDownload((ticket.value as ExportDownload).ticket) };
    });
    if (!answer.ok) return sendError(reply, answer.error);
    if (!answer.value) return sendError(reply, { code: 'not_found', message: `no finished export ${jobId}` });
    const file = answer.value;
    // The file goes out on the raw response (its own headers: attachment, nosniff, no-store).
    reply.hijack();
    if (await sendExportFile(reply.raw, file, options.exportsDir)) {
      await fs.promises.rm(file.path, { force: true }).catch(() => undefined);
    }
  });
}
