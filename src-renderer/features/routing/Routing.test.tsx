import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDeskStore } from '../../state/store';
import { smallShop, type TestShop } from '../../test/testShop';
import { renderDesk } from '../../test/renderDesk';

beforeEach(() => resetDeskStore());

const list = () => screen.getByRole('listbox', { name: '会话列表' });
const nicks = () =>
  within(list())
    .queryAllByRole('option')
    .map((o) => o.querySelector('.nick')?.textContent);

/** The supervisor puts 半夏微凉 (conv-c3, 小美's) back in the queue, from outside the desk. */
async function queueC3(shop: TestShop): Promise<void> {
  await shop.call('conversations.transfer', {
    id: 'line-c3',
    conversationId: 'conv-c3',
    toAgentId: null,
    expectedAgentId: 'agent-1',
    note: '',
  });
}

describe('whose conversations: 我的 / 未分配 / 全部', () => {
  it('counts each scope, says whose each conversation is, and 接入 takes one from the queue', async () => {
    const shop = smallShop();
    await queueC3(shop);
    const { user } = renderDesk(shop.client());
    await screen.findByRole('tab', { name: '我的（2）' });
    expect(screen.getByRole('tab', { name: '未分配（1）' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: '全部（3）' })).toHaveAttribute('aria-selected', 'true');
    // Each item names its owner: this desk's agent as 我, the queue's as 未分配.
    // The counts come from their own query: the list's items may show a moment after them.
    const item = (nick: string) =>
      waitFor(() => {
        const found = within(list())
          .queryAllByRole('option')
          .find((o) => o.textContent?.includes(nick));
        expect(found).toBeDefined();
        return found!;
      });
    expect(within(await item('半夏微凉')).getByText('未分配')).toBeInTheDocument();
    expect(within(await item('芒果布丁')).getByText('我')).toBeInTheDocument();

    await user.click(screen.getByRole('tab', { name: '我的（2）' }));
    await waitFor(() => expect(nicks().sort()).toEqual(['橙子不酸', '芒果布丁'].sort()));
    await user.click(screen.getByRole('tab', { name: '未分配（1）' }));
    await waitFor(() => expect(nicks()).toEqual(['半夏微凉']));

    await user.click(within(list()).getByText('半夏微凉'));
    const chat = await screen.findByRole('region', { name: '半夏微凉' });
    await within(chat).findByText('未分配，等待接入');
    // The history shows why: the supervisor's line.
    await within(chat).findByText('主管-王姐将小美的会话转回队列');
    await user.click(within(chat).getByRole('button', { name: '接入' }));
    await screen.findByRole('tab', { name: '我的（3）' });
    await screen.findByRole('tab', { name: '未分配（0）' });
    await within(chat).findByText('负责人：我');
    await waitFor(() => expect(shop.read.conversation('conv-c3')?.agentId).toBe('agent-1'));
  });

  it('a colleague took it first: the take is refused and said so, and the list shows the colleague', async () => {
    const shop = smallShop();
    await queueC3(shop);
    const { user } = renderDesk(shop.client());
    await user.click(await screen.findByRole('tab', { name: '未分配（1）' }));
    await user.click(within(list()).getByText('半夏微凉'));
    const chat = await screen.findByRole('region', { name: '半夏微凉' });
    shop.failures.set('sync.push', { ok: false, error: { code: 'unavailable', message: 'held' } });
    await user.click(within(chat).getByRole('button', { name: '接入' }));
    await shop.as('lead-1')('conversations.take', { conversationId: 'conv-c3' });
    shop.failures.delete('sync.push');
    await screen.findByText(/这项操作没有保存（接入会话）/);
    await waitFor(() => expect(within(chat).getByText('负责人：主管-王姐')).toBeInTheDocument());
  });
});

describe('转接', () => {
  it('hands the conversation to a colleague shown with state and load, with a note that lands in the history; keyboard all the way', async () => {
    const shop = smallShop();
    const { user } = renderDesk(shop.client());
    await user.click((await screen.findAllByText('橙子不酸'))[0]!);
    const chat = await screen.findByRole('region', { name: '橙子不酸' });
    expect(within(chat).getByText('负责人：我')).toBeInTheDocument();
    await user.click(within(chat).getByRole('button', { name: '转接' }));
    const dialog = await screen.findByRole('dialog', { name: '转接会话' });
    const choices = within(dialog).getByRole('radiogroup', { name: '转接给' });
    // The colleague with their state and open conversations against their maximum; not 小美 herself (the owner).
    const lead = within(choices).getByRole('radio', { name: /主管-王姐/ });
    expect(lead.closest('label')).toHaveTextContent(/0\/20 个进行中/);
    expect(lead.closest('label')?.querySelector('.state-chip')?.textContent).toMatch(/^(在线|挂起|离线)$/);
    expect(within(choices).queryByRole('radio', { name: /小美/ })).toBeNull();
    expect(within(choices).getByRole('radio', { name: /转回队列/ })).toBeInTheDocument();
    await waitFor(() => expect(lead).toHaveFocus());
    // Enter with nothing chosen says what is missing.
    await user.keyboard('{Enter}');
    expect(within(dialog).getByRole('alert')).toHaveTextContent('请先选择同事或转回队列。');
    await user.keyboard(' ');
    expect(lead).toBeChecked();
    await user.click(within(dialog).getByRole('textbox', { name: /备注/ }));
    await user.keyboard('买家要换尺码，订单已核对');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(screen.queryByRole('dialog', { name: '转接会话' })).toBeNull());
    // At once on the desk: the owner, the line with the note, the counts.
    await within(chat).findByText('会话已由小美转接给主管-王姐。备注：买家要换尺码，订单已核对');
    await within(chat).findByText('负责人：主管-王姐');
    await screen.findByRole('tab', { name: '我的（2）' });
    await waitFor(() => expect(shop.read.conversation('conv-c1')?.agentId).toBe('lead-1'));
    expect(shop.read.messages('conv-c1').at(-1)).toMatchObject({
      sender: 'system',
      text: '会话已由小美转接给主管-王姐。备注：买家要换尺码，订单已核对',
    });
    // No longer hers: an agent may not hand on a colleague's conversation.
    expect(within(chat).queryByRole('button', { name: '转接' })).toBeNull();
  });

  it('Esc closes the dialog and nothing moves; a note past 500 characters is refused in the dialog', async () => {
    const shop = smallShop();
    const { user } = renderDesk(shop.client());
    await user.click((await screen.findAllByText('芒果布丁'))[0]!);
    const chat = await screen.findByRole('region', { name: '芒果布丁' });
    await user.click(within(chat).getByRole('button', { name: '转接' }));
    const first = await screen.findByRole('dialog', { name: '转接会话' });
    await waitFor(() => expect(within(first).getAllByRole('radio')[0]).toHaveFocus());
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    await user.click(within(chat).getByRole('button', { name: '转接' }));
    const dialog = await screen.findByRole('dialog', { name: '转接会话' });
    await user.click(within(dialog).getByRole('radio', { name: /转回队列/ }));
    await user.click(within(dialog).getByRole('textbox', { name: /备注/ }));
    await user.paste('长'.repeat(501));
    await user.click(within(dialog).getByRole('button', { name: '确认转接' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('备注最多 500 个字。');
    expect(shop.mutationArgs('conversations.transfer')).toEqual([]);
    expect(shop.read.conversation('conv-c2')?.agentId).toBe('agent-1');
  });
});

describe('the supervisor’s screen', () => {
  it('shows each agent with state, open conversations and longest wait, the queue, and buyers unanswered 3 minutes or more; reassigns from there', async () => {
    const shop = smallShop();
    await queueC3(shop);
    const { user } = renderDesk(shop.client());
    // An agent has no such screen.
    await screen.findByRole('tab', { name: '我的（2）' });
    expect(screen.queryByRole('button', { name: '团队接待' })).toBeNull();
    await user.selectOptions(screen.getByRole('combobox', { name: '当前账号' }), 'lead-1');
    await user.click(await screen.findByRole('button', { name: '团队接待' }));
    const team = await screen.findByRole('region', { name: '团队接待' });
    const agents = within(team).getByRole('region', { name: '客服' });
    const xiaomei = await within(agents).findByRole('row', { name: /小美/ });
    const cells = within(xiaomei).getAllByRole('cell');
    expect(cells[2]).toHaveTextContent(/^2$/);
    // 小美 signed out (this desk is the supervisor now): 离线 for the team.
    await waitFor(() => expect(within(xiaomei).getByText('离线')).toBeInTheDocument());
    expect(cells[4]?.textContent).toMatch(/^4:\d\d$/); // 芒果布丁 has waited about 4 minutes
    const queue = within(team).getByRole('region', { name: /排队中/ });
    expect(within(queue).getByRole('row', { name: /半夏微凉/ })).toBeInTheDocument();
    const late = within(team).getByRole('region', { name: /超过 3 分钟未回复/ });
    // 半夏微凉 was answered (the queue's line is no answer to wait on); 芒果布丁 has waited 4 minutes, 橙子不酸 only 30 s.
    expect(
      within(late)
        .getAllByRole('row')
        .map((r) => r.getAttribute('data-conversation-id')),
    ).toEqual([null, 'conv-c2']);

    await user.click(within(late).getByRole('button', { name: '转派与 芒果布丁 的会话' }));
    const dialog = await screen.findByRole('dialog', { name: '转接会话' });
    await user.click(within(dialog).getByRole('radio', { name: /转回队列/ }));
    await user.click(within(dialog).getByRole('button', { name: '确认转接' }));
    await waitFor(() => expect(within(queue).getByRole('row', { name: /芒果布丁/ })).toBeInTheDocument());
    await waitFor(() => expect(shop.read.conversation('conv-c2')?.agentId).toBeNull());
    expect(shop.read.messages('conv-c2').at(-1)?.text).toBe('主管-王姐将小美的会话转回队列');

    // The lead sets 小美's maximum; every desk's roster has it.
    const max = within(xiaomei).getByRole('spinbutton', { name: '小美 的会话上限' });
    await user.clear(max);
    await user.type(max, '5{Enter}');
    await waitFor(() => expect(shop.read.agent('agent-1')).toMatchObject({ maxOpen: 5 }));
    await user.click(within(team).getByRole('button', { name: '打开与 半夏微凉 的会话' }));
    await screen.findByRole('region', { name: '半夏微凉' });
  });
});
