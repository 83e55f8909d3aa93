import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDeskStore } from '../../state/store';
import { renderDesk } from '../../test/renderDesk';
import { smallShop } from '../../test/testShop';

beforeEach(() => resetDeskStore());

async function openChat(nick = '橙子不酸') {
  const core = smallShop();
  const view = renderDesk(core.client());
  await view.user.click((await screen.findAllByText(nick))[0]!);
  const box = await screen.findByRole('textbox', { name: '回复内容' });
  return { core, box, ...view };
}

describe('a product card for the buyer', () => {
  it("picks one of the buyer's ordered products: it waits in the box, goes after the words, and shows as a card", async () => {
    const { core, box, user } = await openChat();
    await user.type(box, '这条裤子还有货');
    await user.click(screen.getByRole('button', { name: '商品' }));
    const picker = await screen.findByRole('dialog', { name: '发送商品' });
    // The buyer's two orders' items, newest first.
    const options = within(within(picker).getByRole('list', { name: '买家订单里的商品' })).getAllByRole('button');
    expect(options.map((o) => o.getAttribute('aria-label'))).toEqual(['发送商品 阔腿牛仔裤', '发送商品 纯棉T恤']);
    expect(options[0]).toHaveTextContent('黑色 XL');
    expect(options[0]).toHaveTextContent('¥129.00');
    await user.click(options[0]!);
    expect(screen.queryByRole('dialog', { name: '发送商品' })).toBeNull();
    const waiting = screen.getByRole('group', { name: '待发送的商品' });
    expect(waiting).toHaveTextContent('阔腿牛仔裤');
    expect(box).toHaveFocus();
    expect(core.mutationArgs('messages.send')).toHaveLength(0);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(core.mutationArgs('messages.send')).toHaveLength(2));
    const [words, card] = core.mutationArgs<{ text: string; product?: unknown }>('messages.send');
    expect(words).toMatchObject({ text: '这条裤子还有货' });
    expect(card!.product).toEqual({ title: '阔腿牛仔裤', sku: '黑色 XL', priceCents: 12900, url: null });
    expect(screen.queryByRole('group', { name: '待发送的商品' })).toBeNull();
    // Stored by the core as a product card whose text is its lines, and shown in the chat as a card.
    await waitFor(() => expect(core.read.messages('conv-c1').filter((m) => m.kind === 'product_card')).toHaveLength(1));
    expect(core.read.messages('conv-c1').find((m) => m.kind === 'product_card')!.text).toBe('阔腿牛仔裤\n黑色 XL\n¥129.00');
    const log = within(screen.getByRole('log'));
    const shown = await log.findByRole('group', { name: '商品卡片' });
    expect(within(shown).getByText('阔腿牛仔裤')).toBeInTheDocument();
    expect(within(shown).getByText('¥129.00')).toBeInTheDocument();
  });

  it('sends a pasted product link as a card; a javascript: link is refused before it gets anywhere', async () => {
    const { core, box, user } = await openChat();
    await user.click(screen.getByRole('button', { name: '商品' }));
    const picker = await screen.findByRole('dialog', { name: '发送商品' });
    const url = within(picker).getByRole('textbox', { name: '商品链接' });
    await user.type(url, 'javascript:alert(1)');
    await user.type(within(picker).getByRole('textbox', { name: '商品标题' }), '夏季新款连衣裙');
    await user.click(within(picker).getByRole('button', { name: '加入回复' }));
    expect(within(picker).getByRole('alert')).toHaveTextContent('商品链接要以 http:// 或 https:// 开头');
    await user.clear(url);
    await user.type(url, 'https://shop.example/item?id=42');
    await user.type(within(picker).getByRole('textbox', { name: '价格（元，可不填）' }), '199.9');
    await user.click(within(picker).getByRole('button', { name: '加入回复' }));
    await screen.findByRole('group', { name: '待发送的商品' });
    // A card alone is sent from the button (no words needed).
    await user.click(screen.getByRole('button', { name: /^发送Enter/ }));
    await waitFor(() => expect(core.mutationArgs('messages.send')).toHaveLength(1));
    expect(core.mutationArgs<{ product?: unknown }>('messages.send')[0]!.product).toEqual({
      title: '夏季新款连衣裙',
      sku: null,
      priceCents: 19990,
      url: 'https://shop.example/item?id=42',
    });
    const shown = await within(screen.getByRole('log')).findByRole('group', { name: '商品卡片' });
    const link = within(shown).getByRole('link', { name: '查看商品' });
    expect(link).toHaveAttribute('href', 'https://shop.example/item?id=42');
    expect(link).toHaveAttribute('rel', expect.stringContaining('noopener'));
    expect(box).toHaveValue('');
  });

  it('Enter in the link form adds the card and sends nothing: the words typed before wait with it', async () => {
    const { core, box, user } = await openChat();
    await user.type(box, '亲，这款现在有活动');
    await user.click(screen.getByRole('button', { name: '商品' }));
    const picker = await screen.findByRole('dialog', { name: '发送商品' });
    await user.type(within(picker).getByRole('textbox', { name: '商品链接' }), 'https://shop.example/item?id=7');
    await user.type(within(picker).getByRole('textbox', { name: '商品标题' }), '冰丝防晒衣{Enter}');
    expect(await screen.findByRole('group', { name: '待发送的商品' })).toHaveTextContent('冰丝防晒衣');
    expect(box).toHaveValue('亲，这款现在有活动');
    expect(core.mutationArgs('messages.send')).toHaveLength(0);
    // Only the agent's own Enter in the reply box sends the words, then the card.
    await user.click(box);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(core.mutationArgs('messages.send')).toHaveLength(2));
    expect(core.mutationArgs<{ text: string }>('messages.send')[0]).toMatchObject({ text: '亲，这款现在有活动' });
  });

  it("holds a card whose typed title has a red-line word until the agent confirms, like the reply's own words", async () => {
    const { core, user } = await openChat();
    await user.click(screen.getByRole('button', { name: '商品' }));
    const picker = await screen.findByRole('dialog', { name: '发送商品' });
    await user.type(within(picker).getByRole('textbox', { name: '商品链接' }), 'https://shop.example/x');
    await user.type(within(picker).getByRole('textbox', { name: '商品标题' }), '全网最低价 加微信');
    await user.click(within(picker).getByRole('button', { name: '加入回复' }));
    await user.click(screen.getByRole('button', { name: /^发送Enter/ }));
    const confirm = await screen.findByRole('alertdialog');
    expect(confirm).toHaveTextContent('加微信');
    expect(core.mutationArgs('messages.send')).toHaveLength(0);
    await user.click(within(confirm).getByRole('button', { name: '仍然发送' }));
    await waitFor(() => expect(core.mutationArgs('messages.send')).toHaveLength(1));
  });

  it('a buyer without orders is offered the link form only', async () => {
    const { user } = await openChat('芒果布丁');
    await user.click(screen.getByRole('button', { name: '商品' }));
    const picker = await screen.findByRole('dialog', { name: '发送商品' });
    expect(within(picker).getByText('这位买家还没有订单。')).toBeInTheDocument();
    await waitFor(() => expect(within(picker).getByRole('textbox', { name: '商品链接' })).toHaveFocus());
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: '发送商品' })).toBeNull();
  });
});

describe('a quoted message in a reply', () => {
  it('shows the quoted line as a quote above the answer', async () => {
    const { core, box, user } = await openChat();
    const log = within(await screen.findByRole('log', { name: '与 橙子不酸 的聊天记录' }));
    const first = (await log.findByText('在吗')).closest('.message') as HTMLElement;
    await user.click(await within(first).findByRole('button', { name: '引用' }));
    await user.type(box, '在的亲');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(core.read.messages('conv-c1').some((m) => m.text === '「在吗」\n在的亲')).toBe(true));
    const quote = await log.findByLabelText('引用的消息');
    expect(quote).toHaveTextContent('在吗');
    expect(quote.closest('.message')).toHaveTextContent('在的亲');
  });
});
