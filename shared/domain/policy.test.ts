import { describe, expect, it } from 'vitest';
import { canSee, canWrite, libraryFor, may, requireRole, requireWrite, visible, type Caller, type RoleAction } from './policy';

const mei: Caller = { agentId: 'mei', role: 'agent' };
const wang: Caller = { agentId: 'wang', role: 'supervisor' };
const boss: Caller = { agentId: 'boss', role: 'owner' };
const team = { scope: 'team' as const, owner: '' };
const meisOwn = { scope: 'personal' as const, owner: 'mei' };

describe('the role rules', () => {
  it('gives the team library, imports, log exports and reports to supervisors and the owner only', () => {
    const actions: RoleAction[] = ['keepTeamLibrary', 'importPhrases', 'exportLogs', 'viewReports'];
    for (const action of actions) {
      expect([may('agent', action), may('supervisor', action), may('owner', action), may(undefined, action)]).toEqual([
        false,
        true,
        true,
        false,
      ]);
    }
  });

  it('gives seeding demo data and backups by hand to the owner alone', () => {
    for (const action of ['seedDemoData', 'takeBackups'] as const) {
      expect([may('agent', action), may('supervisor', action), may('owner', action), may(undefined, action)]).toEqual([
        false,
        false,
        true,
        false,
      ]);
    }
  });

  it('refuses with a typed unauthorized error naming who may', () => {
    expect(() => requireRole(mei, 'exportLogs')).toThrow(
      expect.objectContaining({ code: 'unauthorized', message: expect.stringContaining('owner') }),
    );
    expect(() => requireRole(mei, 'importPhrases')).toThrow(expect.objectContaining({ code: 'unauthorized' }));
    expect(() => requireRole(wang, 'exportLogs')).not.toThrow();
    expect(() => requireRole(boss, 'importPhrases')).not.toThrow();
  });
});

describe('the phrase library rules', () => {
  it('shows team rows to everyone and a personal row to its owner only, whatever the role', () => {
    expect([canSee(mei, team), canSee(wang, team)]).toEqual([true, true]);
    expect([canSee(mei, meisOwn), canSee(wang, meisOwn), canSee(boss, meisOwn)]).toEqual([true, false, false]);
  });

  it("lets everyone write their own phrases and only leads write the team's", () => {
    expect([canWrite(mei, meisOwn), canWrite(mei, team), canWrite(wang, team), canWrite(boss, team)]).toEqual([true, false, true, true]);
    expect(canWrite(wang, meisOwn)).toBe(false);
  });

  it("puts a new row of a scope in the caller's own library", () => {
    expect(libraryFor(mei, 'personal')).toEqual({ scope: 'personal', owner: 'mei' });
    expect(libraryFor(mei, 'team')).toEqual({ scope: 'team', owner: '' });
  });

  it("answers a missing row and another agent's personal row alike, not found", () => {
    expect(() => visible(wang, undefined, 'phrase p1')).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => visible(wang, meisOwn, 'phrase p1')).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => requireWrite(wang, meisOwn, 'phrase p1')).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(visible(mei, meisOwn, 'phrase p1')).toBe(meisOwn);
  });

  it('refuses an agent writing a stored team row as unauthorized, and returns the row to those who may', () => {
    expect(() => requireWrite(mei, team, 'phrase group g1')).toThrow(expect.objectContaining({ code: 'unauthorized' }));
    expect(requireWrite(wang, team, 'phrase group g1')).toBe(team);
    expect(requireWrite(mei, meisOwn, 'phrase group g2')).toBe(meisOwn);
  });
});
