import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDeskStore } from '../../state/store';
import { smallShop } from '../../test/testShop';
import { renderDesk } from '../../test/renderDesk';

beforeEach(() => resetDeskStore());

describe('a reply is sent when the core says so', () => {
  it('shows as sent on the push answer, before the pull that brings the stored copy', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('芒果布丁'))[0]!);
    const log = await screen.findByRole('log', { name: '与 芒果布丁 的聊天记录' });
    // The pull that would bring the core's copy is held back; the push goes through.
    core.hold('sync.pull');
    await user.type(screen.getByRole('textbox', { name: '回复内容' }), '马上发货{Enter}');
    expect(await within(log).findByText('马上发货')).toBeInTheDocument();
    await waitFor(() => expect(core.read.messages('conv-c2').some((m) => m.text === '马上发货')).toBe(true));
    await waitFor(() => expect(within(log).queryByText('发送中')).toBeNull());
    expect(within(log).getByText('马上发货').closest('.message')).not.toHaveClass('outgoing-pending');
    core.release('sync.pull');
    // The stored copy takes its place: still one bubble.
    await waitFor(() => expect(within(log).getAllByText('马上发货')).toHaveLength(1));
  });

  it('stays pending while the push has no answer', async () => {
    const core = smallShop();
    const { user } = renderDesk(core.client());
    await user.click((await screen.findAllByText('芒果布丁'))[0]!);
    const log = await screen.findByRole('log', { name: '与 芒果布丁 的聊天记录' });
    core.hold('sync.push');
    await user.type(screen.getByRole('textbox', { name: '回复内容' }), '稍等{Enter}');
    expect(await within(log).findByText('发送中')).toBeInTheDocument();
    core.release('sync.push');
    await waitFor(() => expect(within(log).queryByText('发送中')).toBeNull());
  });
});
