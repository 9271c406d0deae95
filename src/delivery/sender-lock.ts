import type { Clock, LockProvider } from '../platform.js';
import type { KeyValueStore } from '../storage.js';

/**
 * Makes one tab at a time the sender of a tenant's queue, so no event is sent twice by two tabs.
 * `run` returns false when another tab holds the lock and this pass should be tried later.
 * The pass calls `renew()` between requests and stops when it answers false.
 */
export interface SenderLock {
  run(pass: (renew: () => Promise<boolean>) => Promise<void>): Promise<boolean>;
}

/** Web Locks: the browser queues the request and frees the lock the moment a tab closes or crashes. */
export function webLock(locks: LockProvider, name: string): SenderLock {
  const renew = async () => true;
  return {
    async run(pass) {
      await locks.request(name, () => pass(renew));
      return true;
    },
  };
}

interface Lease {
  owner: string;
  expires: number;
}

/**
 * Fallback where Web Locks are missing: a lease written in one IndexedDB read-write transaction, so two tabs cannot
 * both win. A tab that dies leaves a lease that simply expires, and nothing stays stranded longer than the TTL.
 */
export function leaseLock(store: KeyValueStore, owner: string, clock: Clock, ttlMs = 15_000): SenderLock {
  const key = 'sender-lease';

  async function acquire(): Promise<boolean> {
    const now = clock.now();
    await store.update<Lease>(key, (lease) =>
      lease && lease.owner !== owner && lease.expires > now ? lease : { owner, expires: now + ttlMs },
    );
    return (await store.get<Lease>(key))?.owner === owner;
  }

  return {
    async run(pass) {
      if (!(await acquire())) return false;
      try {
        await pass(acquire);
      } finally {
        await store.update<Lease | undefined>(key, (lease) => (lease?.owner === owner ? undefined : lease));
      }
      return true;
    },
  };
}
