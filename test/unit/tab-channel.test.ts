import { afterEach, describe, expect, it } from 'vitest';
import { pageTabId, tabChannel, type TabChannel, type TabMessage } from '../../src/tab-channel';

const open: TabChannel[] = [];
afterEach(() => {
  for (const channel of open.splice(0)) channel.close();
});

/** A tab of the store `tenant`, with the messages it heard from the others. */
function tab(tenant: string, id: string) {
  const heard: TabMessage[] = [];
  const channel = tabChannel(tenant, id);
  channel.listen((message) => heard.push(message));
  open.push(channel);
  return { channel, heard };
}

describe('tab channel: which tabs of a store are open', () => {
  it('counts a tab opened before or after this one, until it says it was left, and again when it is back', async () => {
    const a = tab('presence', 'a');
    expect(a.channel.othersOpen()).toBe(false);
    const b = tab('presence', 'b');
    // a hears b's "here"; b hears a's answer.
    await expect.poll(() => a.channel.othersOpen() && b.channel.othersOpen()).toBe(true);

    b.channel.leave();
    await expect.poll(() => a.channel.othersOpen()).toBe(false);
    expect(a.heard).toContainEqual({ kind: 'gone', tab: 'b' });

    b.channel.back(); // shown again from the back-forward cache: it asks who is open and is counted again
    await expect.poll(() => a.channel.othersOpen() && b.channel.othersOpen()).toBe(true);
  });

  it('does not count another instance of the store in the same page as an open tab', async () => {
    const page = {};
    let n = 0;
    const uuid = () => `id-${++n}`;
    const id = pageTabId(page, uuid);
    expect(pageTabId(page, uuid)).toBe(id); // a second instance in the page: the same id
    expect(pageTabId(undefined, uuid)).not.toBe(pageTabId(undefined, uuid)); // outside a browser: one per instance
    const first = tab('one-page', id);
    const second = tab('one-page', id);
    const otherTab = tab('one-page', pageTabId({}, uuid));
    await expect.poll(() => otherTab.channel.othersOpen()).toBe(true);
    await expect.poll(() => first.channel.othersOpen() && second.channel.othersOpen()).toBe(true); // the other tab
    otherTab.channel.leave();
    await expect.poll(() => first.channel.othersOpen() || second.channel.othersOpen()).toBe(false);
    expect(first.heard.filter((m) => m.kind === 'here' || m.kind === 'gone').every((m) => m.tab !== id)).toBe(true);
  });

  it('keeps stores apart and stops counting a tab whose instance was destroyed', async () => {
    const a = tab('store-1', 'a');
    tab('store-2', 'other');
    const b = tab('store-1', 'b');
    await expect.poll(() => a.channel.othersOpen()).toBe(true);
    b.channel.close();
    await expect.poll(() => a.channel.othersOpen()).toBe(false);
    expect(a.heard.some((message) => 'tab' in message && message.tab === 'other')).toBe(false);
  });

  it('does not count a presence message without a tab id (another program on the channel) as a tab', async () => {
    const a = tab('strangers', 'a');
    const stranger = new BroadcastChannel('wiz-klaviyo:strangers');
    stranger.postMessage({ kind: 'here' });
    stranger.postMessage({ kind: 'here', tab: 'real' });
    await expect.poll(() => a.channel.othersOpen()).toBe(true); // the well-formed one arrived, after the other
    stranger.postMessage({ kind: 'gone', tab: 'real' });
    await expect.poll(() => a.channel.othersOpen()).toBe(false);
    stranger.close();
  });
});
