import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDeskStore } from '../../state/store';
import { renderDesk } from '../../test/renderDesk';
import { smallShop, type TestShop } from '../../test/testShop';

beforeEach(() => resetDeskStore());

/** A 1×1 PNG, as a file an agent copies or drags. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC';
const pngFile = (name = 'size-chart.png') => new File([Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0))], name, { type: 'image/png' });

async function openChat(setUp?: (core: TestShop) => void) {
  const core = smallShop();
  setUp?.(core);
  const view = renderDesk(core.client());
  await view.user.click((await screen.findAllByText('芒果布丁'))[0]!);
  const box = await screen.findByRole('textbox', { name: '回复内容' });
  // The demo buyer's channel takes pictures: the button is there to press.
  await waitFor(() => expect(screen.getByRole('button', { name: '图片' })).toBeEnabled());
  return { core, box, ...view };
}

describe('an agent sends a picture from the reply box', () => {
  it('pastes a picture: it waits in the box as a thumbnail, then goes after the text, and shows in the chat', async () => {
    const { core, box, user } = await openChat();
    await user.type(box, '尺码表请看图');
    fireEvent.paste(box, { clipboardData: { files: [pngFile()], items: [], types: ['Files'], getData: () => '' } });
    const pending = await screen.findByRole('group', { name: '待发送的图片' });
    expect(within(pending).getByText(/1×1/)).toBeInTheDocument();
    expect(box).toHaveValue('尺码表请看图');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(core.mutationArgs('messages.send')).toHaveLength(2));
    const [text, picture] = core.mutationArgs<{ text: string; image?: { base64: string } }>('messages.send');
    expect(text).toMatchObject({ text: '尺码表请看图' });
    expect(picture!.image!.base64).toBe(PNG);
    expect(screen.queryByRole('group', { name: '待发送的图片' })).toBeNull();
    const log = within(screen.getByRole('log'));
    const img = await log.findByRole('img', { name: '图片' });
    expect(img.getAttribute('src')).toBe(`data:image/png;base64,${PNG}`);
    await waitFor(() => expect(core.read.messages('conv-c2').filter((m) => m.kind === 'image')).toHaveLength(1));
    // The thumbnail opens large, and Esc closes it. Clicked once the core's copy is in the chat: the
    // pending bubble is replaced when the push is answered and again when the pull brings the stored
    // copy, and a click on a replaced bubble opens nothing, so the agent (and the test) clicks again.
    await waitFor(() => expect(screen.getByRole('log').querySelector('.outgoing-pending')).toBeNull());
    await waitFor(async () => {
      if (!screen.queryByRole('dialog', { name: '图片' })) await user.click(log.getByRole('button', { name: '查看大图' }));
      expect(screen.getByRole('dialog', { name: '图片' })).toBeInTheDocument();
    });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: '图片' })).toBeNull();
  });

  it('drops a PHP script named .png: refused by its bytes, said under the box, nothing queued', async () => {
    const { core, box } = await openChat();
    const php = new File(['<?php system($_GET["c"]); ?>'], 'photo.png', { type: 'image/png' });
    fireEvent.drop(box.closest('form')!, { dataTransfer: { files: [php], items: [], types: ['Files'] } });
    expect(await screen.findByRole('alert')).toHaveTextContent('只能发送 PNG、JPEG、GIF 或 WebP 图片');
    expect(screen.queryByRole('group', { name: '待发送的图片' })).toBeNull();
    expect(core.mutationArgs('messages.send')).toHaveLength(0);
  });

  it('drops a picture and sends it alone from the button; one past 5 MB is refused before it is read', async () => {
    const { core, box, user } = await openChat();
    const big = new File([new Uint8Array(5 * 1024 * 1024 + 1)], 'huge.png', { type: 'image/png' });
    fireEvent.drop(box.closest('form')!, { dataTransfer: { files: [big], items: [], types: ['Files'] } });
    expect(await screen.findByRole('alert')).toHaveTextContent('一张图片最大 5 MB');
    fireEvent.drop(box.closest('form')!, { dataTransfer: { files: [pngFile()], items: [], types: ['Files'] } });
    await screen.findByRole('group', { name: '待发送的图片' });
    await user.click(screen.getByRole('button', { name: /^发送/ }));
    await waitFor(() => expect(core.mutationArgs('messages.send')).toHaveLength(1));
    expect(core.mutationArgs<{ image?: unknown }>('messages.send')[0]!.image).toEqual({ base64: PNG });
  });

  it('picks a picture with the 图片 button', async () => {
    const { core, user } = await openChat();
    await user.upload(screen.getByTestId('composer-picture-input'), pngFile('qr.png'));
    const pending = await screen.findByRole('group', { name: '待发送的图片' });
    await user.click(within(pending).getByRole('button', { name: '移除图片' }));
    expect(screen.queryByRole('group', { name: '待发送的图片' })).toBeNull();
    expect(core.mutationArgs('messages.send')).toHaveLength(0);
  });
});
