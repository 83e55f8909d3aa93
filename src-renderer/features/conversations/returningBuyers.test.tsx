import { act, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDeskStore } from '../../state/store';
import { smallShop } from '../../test/testShop';
import { renderDesk } from '../../test/renderDesk';

beforeEach(() => resetDeskStore());

const row = (nick: string) =>
  within(screen.getByRole('listbox', { name: '会话列表' }))
    .getAllByRole('option')
    .find((o) => o.querySelector('.nick')?.textContent === nick);

describe('the list marks returning buyers', () => {
  it('marks a buyer with an ended conversation 老客, and a first-time buyer not; one who comes back while the desk is open too', async () => {
    const shop = smallShop();
    // 橙子不酸 came before: that conversation ended, and the buyer writes again (a new conversation).
    await shop.call('conversations.end', { conversationId: 'conv-c1' });
    shop.buyerWrites('c1', '上次说的白色补货了吗？');
    renderDesk(shop.client());
    await within(await screen.findByRole('listbox', { name: '会话列表' })).findAllByRole('option');
    await waitFor(() => expect(row('橙子不酸')).toHaveTextContent('老客'));
    expect(row('芒果布丁')).not.toHaveTextContent('老客');
    expect(row('半夏微凉')).not.toHaveTextContent('老客');

    // 半夏微凉's conversation ends with the desk open, and the buyer comes back.
    await shop.call('conversations.end', { conversationId: 'conv-c3' });
    await waitFor(() => expect(row('半夏微凉')).toBeUndefined());
    act(() => void shop.buyerWrites('c3', '我又来了'));
    await waitFor(() => expect(row('半夏微凉')).toHaveTextContent('老客'));
    expect(row('芒果布丁')).not.toHaveTextContent('老客');
  });
});
