import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDeskStore } from '../../../state/store';
import { renderDesk } from '../../../test/renderDesk';
import { smallShop } from '../../../test/testShop';

beforeEach(() => resetDeskStore());

/** A 1×1 PNG: the shop's size chart, as far as this test goes. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC';
const pngFile = () => new File([Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0))], 'size-chart.png', { type: 'image/png' });

describe('a quick phrase with a picture', () => {
  it('is saved with its picture in the editor, marked in the picker, and sends its words then the picture', async () => {
    const core = smallShop();
    core.setDefaultAgent('lead-1');
    const { user } = renderDesk(core.client());
    await user.click(await screen.findByRole('button', { name: '短语库' }));
    await within(await screen.findByRole('listbox', { name: '团队短语的分组' })).findAllByRole('option');
    await user.click(screen.getByRole('button', { name: '＋ 新建短语' }));
    const form = screen.getByRole('form', { name: '编辑短语' });
    await user.type(within(form).getByRole('textbox', { name: '快捷编码' }), 'cmb');
    await user.type(within(form).getByRole('textbox', { name: '标题' }), '尺码表');
    await user.type(within(form).getByRole('textbox', { name: '短语内容' }), '亲，尺码表请看图哦');
    // A script named .png is refused by its bytes; the real picture is taken.
    await user.upload(within(form).getByTestId('phrase-picture-input'), new File(['<?php echo 1; ?>'], 'x.png', { type: 'image/png' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('只能发送 PNG、JPEG、GIF 或 WebP 图片');
    await user.upload(within(form).getByTestId('phrase-picture-input'), pngFile());
    expect(await within(form).findByRole('img', { name: '短语图片' })).toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: '保存' }));
    await screen.findByRole('row', { name: '尺码表' });
    const saved = core.read.phrases('lead-1').find((p) => p.code === 'cmb');
    expect(saved?.image).toMatchObject({ mime: 'image/png', width: 1, height: 1 });

    await user.click(screen.getByRole('button', { name: '接待台' }));
    await user.click((await screen.findAllByText('芒果布丁'))[0]!);
    const box = await screen.findByRole('textbox', { name: '回复内容' });
    await waitFor(() => expect(screen.getByRole('button', { name: '图片' })).toBeEnabled());
    await user.type(box, '/cmb');
    const results = await screen.findByRole('listbox', { name: '匹配的短语' });
    expect(within(results).getByText('含图片')).toBeInTheDocument();
    await user.keyboard('{Enter}');
    expect(box).toHaveValue('亲，尺码表请看图哦');
    await screen.findByRole('group', { name: '待发送的图片' });
    await user.keyboard('{Enter}');
    await waitFor(() => expect(core.mutationArgs('messages.send')).toHaveLength(2));
    const [text, picture] = core.mutationArgs<{ text: string; image?: { base64: string } }>('messages.send');
    expect(text).toMatchObject({ text: '亲，尺码表请看图哦' });
    expect(picture!.image).toEqual({ base64: PNG });
  });
});
