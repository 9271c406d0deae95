import { afterEach, describe, expect, it } from 'vitest';
import { pageTabId, tabChannel, type TabChannel, type TabMessage } from '../../src/tab-channel';

const open: TabChannel[] = [];
afterEach(() => {
  for (const channel of open.splice(0)) channel.close();
});

/**
 * A tab of the store `tenant`, with the messages it heard from the others, and its timer run by hand: `waits` holds
 * what it scheduled, `timeUp()` runs it all (the wait on answers to a check is over).
 */
function tab(tenant: string, id: string) {
  const heard: TabMessage[] = [];
  const waits: Array<() => void> = [];
  const channel = tabChannel(tenant, id, (run) => waits.push(run));
  channel.listen((message) => heard.push(message));
  open.push(channel);
  const timeUp = () => {
    for (const run of waits.splice(0)) run();
  };
  return { channel, heard, waits, timeUp };
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

  it('stops counting a tab that ended without a word once it does not answer a check, and keeps one that answers', async () => {
    const a = tab('checked', 'a');
    // A tab that said "here" and was then ended by the system: it never says "gone" and answers nothing.
    const ghost = new BroadcastChannel('wiz-klaviyo:checked');
    ghost.postMessage({ kind: 'here', tab: 'ghost', answer: true });
    ghost.close();
    await expect.poll(() => a.channel.othersOpen()).toBe(true);
    a.channel.check(0);
    a.timeUp(); // the ghost's channel is closed: no answer can come
    expect(a.channel.othersOpen()).toBe(false);

    const b = tab('checked', 'b'); // a live tab answers the check
    await expect.poll(() => a.channel.othersOpen()).toBe(true);
    const answersBefore = a.heard.filter((m) => m.kind === 'here' && m.tab === 'b').length;
    a.channel.check(20_000);
    await expect.poll(() => a.heard.filter((m) => m.kind === 'here' && m.tab === 'b').length).toBe(answersBefore + 1);
    a.timeUp();
    expect(a.channel.othersOpen()).toBe(true);
    expect(b.channel.othersOpen()).toBe(true);
  });

  it('checks at most every 10 s', async () => {
    const a = tab('checked-rarely', 'a');
    const ghost = (id: string) => {
      const channel = new BroadcastChannel('wiz-klaviyo:checked-rarely');
      channel.postMessage({ kind: 'here', tab: id, answer: true });
      channel.close();
    };
    a.channel.check(0); // nobody counted yet: nothing to ask, and no check is spent
    expect(a.waits).toHaveLength(0);
    ghost('first');
    await expect.poll(() => a.channel.othersOpen()).toBe(true);
    a.channel.check(5000);
    a.timeUp();
    expect(a.channel.othersOpen()).toBe(false);
    ghost('second');
    await expect.poll(() => a.channel.othersOpen()).toBe(true);
    a.channel.check(9000); // within 10 s of the last check: not asked
    expect(a.waits).toHaveLength(0);
    a.channel.check(15_000);
    expect(a.waits).toHaveLength(1);
    a.timeUp();
    expect(a.channel.othersOpen()).toBe(false);
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
