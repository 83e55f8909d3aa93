import { screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDeskStore } from '../../state/store';
import { renderDesk } from '../../test/renderDesk';
import { smallShop, type TestShop } from '../../test/testShop';
import { slashAt } from './composerRules';

beforeEach(() => resetDeskStore());

/** Two 1×1 PNGs (a size chart and a QR code, as far as these tests go): one red pixel, one blue. */
const SIZE_CHART = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC';
const QR_CODE = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYPgPAAEDAQAIicLsAAAAAElFTkSuQmCC';

async function openChat(setUp?: (core: TestShop) => Promise<void> | void) {
  const core = smallShop();
  await setUp?.(core);
  const view = renderDesk(core.client());
  await view.user.click((await screen.findAllByText('芒果布丁'))[0]!);
  const box = await screen.findByRole('textbox', { name: '回复内容' });
  return { core, box, ...view };
}

describe('the "/…" the picker reads', () => {
  it('is the whole one-line draft, or a "/" typed after a space, a line break or CJK punctuation, never a URL\'s slash', () => {
    expect(slashAt('/fh', 3)).toEqual({ start: 0, end: 3, query: 'fh' });
    expect(slashAt('亲 /kd', 5)).toEqual({ start: 2, end: 5, query: 'kd' });
    expect(slashAt('第一句\n/', 5)).toEqual({ start: 4, end: 5, query: '' });
    expect(slashAt('好的，/fh', 6)).toEqual({ start: 3, end: 6, query: 'fh' });
    expect(slashAt('看 https://shop.example/item', 27)).toBeNull();
    expect(slashAt('1/2 码', 3)).toBeNull();
    // The caret decides: a "/…" earlier in the text is not the query once the agent typed on past a space.
    expect(slashAt('亲 /kd 好的', 9)).toBeNull();
  });
});

describe('several quick phrases in one reply', () => {
  it('stacks two phrases picked with "/" and a third from 短语, edits between them, then sends one reply', async () => {
    const { core, box, user } = await openChat();
    const kd = '默认中通快递，需要顺丰请补邮费';
    const hi = '亲，我是小美，很高兴为您服务';
    await user.type(box, '/kd');
    await screen.findByRole('dialog', { name: '快捷短语' });
    await user.keyboard('{Enter}');
    expect(box).toHaveValue(kd);
    expect(screen.queryByRole('dialog', { name: '快捷短语' })).toBeNull();
    // A second phrase on a new line: "/" after the line break opens the picker again, and picking
    // replaces only the "/hi", keeping the first phrase.
    await user.keyboard('{Shift>}{Enter}{/Shift}/hi');
    await screen.findByRole('dialog', { name: '快捷短语' });
    await user.keyboard('{Enter}');
    expect(box).toHaveValue(`${kd}\n${hi}`);
    // The agent edits in the middle (after the first phrase), then adds a third there with the button.
    await user.type(box, '哦', { initialSelectionStart: kd.length, initialSelectionEnd: kd.length });
    await user.click(screen.getByRole('button', { name: '短语' }));
    const search = await screen.findByRole('searchbox', { name: /搜索短语/ });
    await user.type(search, 'kd');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(box).toHaveFocus());
    const three = `${kd}哦${kd}\n${hi}`;
    expect(box).toHaveValue(three);
    // Nothing was sent while stacking; Enter sends the whole reply as one message.
    expect(core.mutationArgs('messages.send')).toHaveLength(0);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(core.mutationArgs('messages.send')).toHaveLength(1));
    expect(core.mutationArgs<{ text: string }>('messages.send')[0]!.text).toBe(three);
    expect(box).toHaveValue('');
  });

  it('does not send a "/…" typed after a phrase that matched nothing, and says which', async () => {
    const { core, box, user } = await openChat();
    await user.type(box, '/kd');
    await screen.findByRole('dialog', { name: '快捷短语' });
    await user.keyboard('{Enter}');
    await user.type(box, ' /zzz');
    await screen.findByText('没有匹配的短语');
    await user.keyboard('{Enter}');
    expect(screen.getByRole('alert')).toHaveTextContent('没有快捷短语匹配“/zzz”，所以没有发送。');
    expect(core.mutationArgs('messages.send')).toHaveLength(0);
  });

  it("stacks phrases' pictures: each waits in the box, the same one waits once, and they go after the text in order", async () => {
    const { core, box, user } = await openChat(async (shop) => {
      await shop.call('phrases.save', {
        id: 'r-cm',
        groupId: 'rg1',
        code: 'cm',
        title: '尺码表',
        content: '尺码表请看图',
        image: { base64: SIZE_CHART },
      });
      await shop.call('phrases.save', {
        id: 'r-qr',
        groupId: 'rg1',
        code: 'qr',
        title: '加群',
        content: '扫码加群',
        image: { base64: QR_CODE },
      });
      await shop.call('phrases.save', {
        id: 'r-cm2',
        groupId: 'rg1',
        code: 'cmx',
        title: '尺码表（童装）',
        content: '童装也一样',
        image: { base64: SIZE_CHART },
      });
    });
    await waitFor(() => expect(screen.getByRole('button', { name: '图片' })).toBeEnabled());
    await user.type(box, '/cm');
    await screen.findByRole('dialog', { name: '快捷短语' });
    await user.keyboard('{Enter}');
    await screen.findByRole('group', { name: '待发送的图片' });
    await user.type(box, ' /qr');
    await screen.findByRole('dialog', { name: '快捷短语' });
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getAllByRole('group', { name: '待发送的图片' })).toHaveLength(2));
    // A third phrase with the size chart again: its words go in, the picture already waits.
    await user.type(box, ' /cmx');
    await screen.findByRole('dialog', { name: '快捷短语' });
    await user.keyboard('{Enter}');
    expect(box).toHaveValue('尺码表请看图 扫码加群 童装也一样');
    // (the phrase's picture is fetched before it is compared: give it the time to arrive)
    await new Promise((r) => setTimeout(r, 300));
    expect(screen.getAllByRole('group', { name: '待发送的图片' })).toHaveLength(2);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(core.mutationArgs('messages.send')).toHaveLength(3));
    const sent = core.mutationArgs<{ text: string; image?: { base64: string } }>('messages.send');
    expect(sent[0]).toMatchObject({ text: '尺码表请看图 扫码加群 童装也一样' });
    expect(sent[0]!.image).toBeUndefined();
    expect(sent.slice(1).map((m) => m.image?.base64)).toEqual([SIZE_CHART, QR_CODE]);
    expect(screen.queryByRole('group', { name: '待发送的图片' })).toBeNull();
  });
});
