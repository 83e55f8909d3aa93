import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './log';

afterEach(() => vi.unstubAllEnvs());

describe('the process logger', () => {
  it('writes lines with time, level and process name, an error’s stack indented below, and nothing under its level', () => {
    const lines: string[] = [];
    const log = createLogger('core', { level: 'info', write: (t) => lines.push(t) });
    log.debug('not shown');
    log.info('opened the shop');
    const error = new Error('disk on fire');
    log.error('the daily backup failed', error);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO {2}\[core\] opened the shop\n$/);
    const [first, ...stack] = lines[1]!.trimEnd().split('\n');
    expect(first).toMatch(/ERROR \[core\] the daily backup failed$/);
    expect(stack[0]).toBe('    Error: disk on fire');
    expect(stack.slice(1).every((l) => l.startsWith('    '))).toBe(true);
  });

  it('takes its level from JIEDAI_LOG_LEVEL, and a sub-logger keeps it under its own name', () => {
    vi.stubEnv('JIEDAI_LOG_LEVEL', 'WARN');
    const lines: string[] = [];
    const log = createLogger('host', { write: (t) => lines.push(t) }).child('downloads');
    log.info('a ticket was issued');
    log.warn('a ticket was refused');
    expect(log.level).toBe('warn');
    expect(lines).toEqual([expect.stringMatching(/WARN {2}\[host\/downloads\] a ticket was refused\n$/)]);
    vi.stubEnv('JIEDAI_LOG_LEVEL', 'loud');
    expect(createLogger('cli').level).toBe('info'); // an unknown level falls back to the default
  });

  it('can be passed on as a plain (message, error) function', () => {
    const lines: string[] = [];
    const { error } = createLogger('shell', { level: 'error', write: (t) => lines.push(t) });
    [1].forEach(() => error('detached', { code: 'E1' }));
    expect(lines[0]).toContain('[shell] detached\n    {"code":"E1"}');
  });
});
