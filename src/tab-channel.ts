import type { Buyer } from './identity.js';

/**
 * What one tab of a store tells the others: the buyer it stored, the consent decision the shopper made, and that it
 * is open (`here`, answered by the tabs already open) or has been left (`gone`).
 */
export type TabMessage =
  | { kind: 'buyer'; buyer: Buyer }
  | { kind: 'consent'; granted: boolean }
  | { kind: 'here'; tab: string; answer?: true }
  | { kind: 'gone'; tab: string };

export interface TabChannel {
  post(message: TabMessage): void;
  /** Adds a listener for the other tabs' messages. */
  listen(handler: (message: TabMessage) => void): void;
  /** Whether another tab of the store is open: it said so, has not said it was left, and answered when asked. */
  othersOpen(): boolean;
  /**
   * Asks the tabs counted as open to answer (at most every 10 s): one that has not within a second stops counting. A
   * tab the system ended without a word (a crash, a mobile browser reclaiming a background tab) would otherwise count
   * for good, and the store's other tabs would leave their events to it on the way out.
   */
  check(now: number): void;
  /** This page is being left, put in the back-forward cache or frozen: the other tabs stop counting it. */
  leave(): void;
  /** This page is shown again from the back-forward cache, or resumed after being frozen. */
  back(): void;
  close(): void;
}

/** How long a tab counted as open has to answer a check (BroadcastChannel reaches a hidden tab within milliseconds). */
const ANSWER_MS = 1000;
/** How often the open tabs are checked at most, when this tab tracks something. */
const CHECK_EVERY_MS = 10_000;

/**
 * This page's id on the store's channel: one per page, shared by every instance in it (the script tag's and an ES
 * module's, which do not share module state), so none of them counts another as an open tab. Outside a browser, one
 * per instance.
 */
export function pageTabId(win: object | undefined, uuid: () => string): string {
  const page = win as { __wizKlaviyoTab?: string } | undefined;
  return page ? (page.__wizKlaviyoTab ??= uuid()) : uuid();
}

/**
 * A BroadcastChannel per tenant, so a login, a logout or a consent choice in one tab applies in every open tab of the
 * store at once, and a page being left knows whether another tab will send what it queued. Where there is none (or
 * it throws), a channel that tells no one: each tab then reads the stored state on its next page.
 */
export function tabChannel(
  tenant: string,
  tab: string,
  /** The instance's timer (Platform.clock), for the wait on answers to a check. */
  setTimer: (run: () => void, ms: number) => unknown = setTimeout,
): TabChannel {
  const listeners: Array<(message: TabMessage) => void> = [];
  const others = new Set<string>();
  let unanswered: Set<string> | undefined;
  let checkedAt = -Infinity;
  let channel: BroadcastChannel | undefined;
  const post = (message: TabMessage) => {
    try {
      channel?.postMessage(message);
    } catch {
      // closed, or the buyer holds something that cannot be cloned: the other tabs read it on their next page
    }
  };
  const heard = (message: TabMessage) => {
    // A presence message without a tab id (another program on the channel) must not count as a tab for good, and
    // another instance of the store in this very page (the same tab id) is no other tab.
    if (
      (message.kind === 'here' || message.kind === 'gone') &&
      (typeof message.tab !== 'string' || message.tab === tab)
    )
      return;
    if (message.kind === 'here') {
      if (!message.answer) post({ kind: 'here', tab, answer: true });
      others.add(message.tab);
      unanswered?.delete(message.tab);
    } else if (message.kind === 'gone') others.delete(message.tab);
    for (const listener of listeners) listener(message);
  };
  try {
    channel = new BroadcastChannel(`wiz-klaviyo:${tenant}`);
    // Our listeners check what they read; anything but an object is no message of ours.
    channel.onmessage = ({ data }: MessageEvent<TabMessage | null>) =>
      void (data && typeof data === 'object' && heard(data));
  } catch {
    channel = undefined;
  }
  // Who is open is asked afresh: on a page back from the back-forward cache, tabs may have left meanwhile.
  const announce = () => {
    others.clear();
    post({ kind: 'here', tab });
  };
  announce();
  const leave = () => post({ kind: 'gone', tab });
  return {
    post,
    listen: (handler) => void listeners.push(handler),
    othersOpen: () => others.size > 0,
    check(now) {
      if (others.size === 0 || unanswered || now - checkedAt < CHECK_EVERY_MS) return;
      checkedAt = now;
      const asked = (unanswered = new Set(others));
      post({ kind: 'here', tab });
      setTimer(() => {
        for (const silent of asked) others.delete(silent);
        unanswered = undefined;
      }, ANSWER_MS);
    },
    leave,
    back: announce,
    close() {
      leave();
      channel?.close();
    },
  };
}
