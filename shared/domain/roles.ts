import type { AgentRole } from './types';

/** Supervisors and the owner keep the team's scripts (统一口径) and may take the shop's data out. */
export const LEADS: readonly AgentRole[] = ['supervisor', 'owner'];

export const isLead = (role: AgentRole | undefined): boolean => role !== undefined && LEADS.includes(role);
