import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/contract/errors';
import { resetDeskStore } from '../../state/store';
import { renderDesk } from '../../test/renderDesk';
import { smallShop } from '../../test/testShop';

beforeEach(() => resetDeskStore());

/** A 1×1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC';

async function openImage(answer: Result<never> | null) {
  const shop = smallShop();
  shop.addMessages('conv-c2', [{ id: 'img-1', sender: 'buyer', text: '[图片]', createdAt: Date.now() - 1000, kind: 'image' }]);
  // The hub's answer, as the transport gives it (the file lives on the hub).
  if (answer) shop.failures.set('messages.image', answer);
  const { user } = renderDesk(shop.client());
  // The list can be there before its rows (they come from the replica): wait for the row, as an agent would.
  await user.click(await within(await screen.findByRole('listbox', { name: '会话列表' })).findByText('芒果布丁'));
  return within(await screen.findByRole('log'));
}

describe('a buyer’s picture at the desk', () => {
  it('shows the picture the hub sends, as an image of its checked type', async () => {
    const view = await openImage({ ok: true, value: { mime: 'image/png', base64: PNG, width: 1, height: 1 } } as unknown as Result<never>);
    const img = await view.findByRole('img', { name: '图片' });
    expect(img.getAttribute('src')).toBe(`data:image/png;base64,${PNG}`);
    expect(view.getByText('图片', { selector: '.card-label' })).toBeInTheDocument();
  });

  it('says it cannot be shown when the hub cannot be asked (a standalone desk)', async () => {
    // A standalone desk: the core refuses (channels live on the hub).
    const standalone = await openImage(null);
    expect(await standalone.findByText('图片无法显示')).toBeInTheDocument();
  });

  it('does not show an answer whose type is not a picture', async () => {
    const view = await openImage({ ok: true, value: { mime: 'text/html', base64: PNG, width: 1, height: 1 } } as unknown as Result<never>);
    expect(await view.findByText('图片无法显示')).toBeInTheDocument();
    expect(view.queryByRole('img')).toBeNull();
  });
});
