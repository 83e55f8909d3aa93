import { describe, expect, it } from 'vitest';
import { reportSaveStep, type ShowSaveDialog } from './exportDialog';

const period = { from: '2024-06-01', to: '2024-06-07' };

function step(answer: { canceled: boolean; filePath?: string }, exists = false) {
  const asked: Parameters<ShowSaveDialog>[0][] = [];
  const s = reportSaveStep({
    showSaveDialog: async (options) => {
      asked.push(options);
      return answer;
    },
    defaultFolder: () => '/home/wang/Documents',
    exists: () => exists,
  });
  return { s, asked };
}

describe('the desktop save dialog of the report export', () => {
  it('offers 报表-<from>_<to>.xlsx and hands the choice to the core beside the args', async () => {
    const { s, asked } = step({ canceled: false, filePath: '/home/wang/Documents/周报.xlsx' }, true);
    expect(await s({ period, format: 'xlsx' })).toEqual({
      shell: { exportDestination: { path: '/home/wang/Documents/周报.xlsx', overwrite: true } },
    });
    expect(asked[0]).toMatchObject({
      defaultPath: '/home/wang/Documents/报表-2024-06-01_2024-06-07.xlsx',
      filters: [{ extensions: ['xlsx'] }],
    });
  });

  it('never overwrites a name it completed, answers null when closed, and lets the core refuse bad args', async () => {
    expect(await step({ canceled: false, filePath: '/tmp/week' }, true).s({ period, format: 'csv' })).toEqual({
      shell: { exportDestination: { path: '/tmp/week.csv', overwrite: false } },
    });
    expect(await step({ canceled: true }).s({ period, format: 'csv' })).toEqual({ answer: { ok: true, value: null } });
    const bad = step({ canceled: false, filePath: '/tmp/x.csv' });
    expect(await bad.s({ period, format: 'pdf' })).toEqual({ shell: {} });
    expect(bad.asked).toEqual([]);
  });
});
