import { z } from 'zod';
import type { Agent, Shop, TeamAgent } from '../domain/types';
import { define } from './define';
import { id } from './schemas';

/** `timeZone`: the shop's IANA time zone, in which export days (and their defaults) are read. */
export type AppInfo = { version: string; shop: Shop; agent: Agent; demoBuyers: { enabled: boolean; intervalMs: number }; timeZone: string };

/** The app itself, who sits at this desk, and the demo channel. */
export const appMethods = {
  /** The shop, the agent at this desk, and the app's version. */
  'app.info': define<AppInfo>()(z.object({}).strict()),
  /** Row counts per table (the CLI's `stats`, and a health view). */
  'stats.counts': define<Record<string, number>>()(z.object({}).strict()),
  /** Turns the demo buyer channel on or off and sets how often a demo buyer writes. */
  'demo.configureBuyers': define<{ enabled: boolean; intervalMs: number }>()(
    z.object({ enabled: z.boolean(), intervalMs: z.number().int().min(200).max(3_600_000).optional() }).strict(),
  ),
  /** The shop's accounts (agents, supervisors, the owner): the roster, with presence and each one's maximum of open conversations. */
  'agents.list': define<TeamAgent[]>()(z.object({}).strict()),
  /** Changes who sits at this desk (the demo's account switch; a real sign-in later). */
  'session.switchAgent': define<AppInfo>()(z.object({ agentId: id }).strict()),
  /** The agent's state: online (在线), busy (挂起: no new buyers), offline (离线). */
  'agents.setState': define<Agent>()(z.object({ state: z.enum(['online', 'busy', 'offline']) }).strict()),
  /**
   * How many buyer messages wait unread for this desk's agent, for the desktop shell's dock/taskbar
   * badge (the Electron shell acts on it before the core; the core has nothing to keep and answers null).
   */
  'app.badge': define<null>()(z.object({ unread: z.number().int().min(0).max(1_000_000) }).strict()),
} as const;
