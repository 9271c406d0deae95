import type { Buyer } from './identity.js';

/** What one tab of a store tells the others: the buyer it stored, the consent decision the shopper made. */
export type TabMessage = { kind: 'buyer'; buyer: Buyer } | { kind: 'consent'; granted: boolean };

export interface TabChannel {
  post(message: TabMessage): void;
  /** Adds a listener for the other tabs' messages. */
  listen(handler: (message: TabMessage) => void): void;
  close(): void;
}

/**
 * A BroadcastChannel per tenant, so a login, a logout or a consent choice in one tab applies in every open tab of the
 * store at once. Where there is none (or it throws), a channel that tells no one: each tab then reads the stored
 * state on its next page.
 */
export function tabChannel(tenant: string): TabChannel {
  const listeners: Array<(message: TabMessage) => void> = [];
  let channel: BroadcastChannel | undefined;
  try {
    channel = new BroadcastChannel(`wiz-klaviyo:${tenant}`);
    channel.onmessage = ({ data }: MessageEvent<TabMessage | null>) => {
      // Our listeners check what they read; anything but an object is no message of ours.
      if (data && typeof data === 'object') for (const listener of listeners) listener(data);
    };
  } catch {
    channel = undefined;
  }
  return {
    post(message) {
      try {
        channel?.postMessage(message);
      } catch {
        // closed, or the buyer holds something that cannot be cloned: the other tabs read it on their next page
      }
    },
    listen: (handler) => void listeners.push(handler),
    close: () => channel?.close(),
  };
}
