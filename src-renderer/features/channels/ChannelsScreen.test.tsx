import { render, screen, within } from '@testing-library/react';
import { ClientProvider } from '../../ipc/ClientContext';
import { ChannelsScreen } from './ChannelsScreen';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDeskStore } from '../../state/store';
import { renderDesk } from '../../test/renderDesk';
import { smallShop } from '../../test/testShop';

beforeEach(() => resetDeskStore());

describe('the channels screen (owner)', () => {
  it('turns the web chat on and shows the snippet and the link; makes an API token shown once; adds a webhook with its secret', async () => {
    const shop = smallShop();
    await shop.channelsOnHub();
    const { user } = renderDesk(shop.client());
    await user.click(await screen.findByRole('button', { name: '渠道' }));

    const widget = await screen.findByRole('region', { name: '网页客服' });
    expect(within(widget).getByText('填写地址并启用后，这里会给出代码和链接。')).toBeInTheDocument();
    await user.click(within(widget).getByRole('checkbox', { name: '启用网页客服' }));
    await user.type(within(widget).getByRole('textbox', { name: '买家访问服务器的地址' }), 'https://chat.example.com');
    await user.type(within(widget).getByRole('textbox', { name: '欢迎语' }), '您好，有什么可以帮您？');
    await user.click(within(widget).getByRole('button', { name: '保存' }));
    expect(await within(widget).findByText('<script src="https://chat.example.com/widget.js" async></script>')).toBeInTheDocument();
    expect(within(widget).getByText('https://chat.example.com/chat')).toBeInTheDocument();

    const tokens = screen.getByRole('region', { name: 'API 令牌' });
    await user.type(within(tokens).getByRole('textbox', { name: '名称' }), '公众号');
    await user.click(within(tokens).getByRole('button', { name: '新建令牌' }));
    const shown = await within(tokens).findByText(/^jdk_/);
    expect(within(tokens).getByText('令牌只显示这一次，请立即复制：')).toBeInTheDocument();
    expect(within(tokens).getByText('公众号')).toBeInTheDocument();
    expect(within(tokens).getByText('从未使用')).toBeInTheDocument();
    const token = shown.textContent!;
    await user.click(within(tokens).getByRole('button', { name: '吊销' }));
    expect(await within(tokens).findByText('已吊销')).toBeInTheDocument();
    expect(token).toMatch(/^jdk_[A-Za-z0-9_-]{43}$/);

    const hooks = screen.getByRole('region', { name: 'Webhook' });
    await user.type(within(hooks).getByRole('textbox', { name: '接收地址' }), 'https://bridge.example.com/hook');
    await user.click(within(hooks).getByRole('button', { name: '添加' }));
    expect(await within(hooks).findByText('https://bridge.example.com/hook')).toBeInTheDocument();
    expect(within(hooks).getByText(/^whsec_/)).toBeInTheDocument();
    expect(within(hooks).getByText('没有投递失败的事件。')).toBeInTheDocument();
    // A refused address is said, not swallowed.
    await user.type(within(hooks).getByRole('textbox', { name: '接收地址' }), 'ftp://nope');
    await user.click(within(hooks).getByRole('button', { name: '添加' }));
    expect(await within(hooks).findByRole('alert')).toHaveTextContent('没有完成');
  });

  it('is not in a supervisor’s sections; on a standalone desk the screen says channels need a team', async () => {
    const shop = smallShop();
    shop.setDefaultAgent('lead-1');
    renderDesk(shop.client());
    await screen.findAllByText('芒果布丁');
    expect(screen.queryByRole('button', { name: '渠道' })).toBeNull();
    render(
      <ClientProvider client={shop.client()}>
        <ChannelsScreen />
      </ClientProvider>,
    );
    expect(await screen.findByRole('alert')).toHaveTextContent('渠道（网页客服、API 与 Webhook）运行在团队服务器上：请先加入团队。');
  });
});
