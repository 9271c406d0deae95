import { contextOf } from '../../src/core/create';
import { autotrack } from '../../src/autotrack/index';
import { createSender } from '../../src/delivery/sender';
import type { PartLoader } from '../../src/global';
import { laterFeatures } from '../../src/plugins/later';
import { IDBFactory } from 'fake-indexeddb';
import { createWizKlaviyo } from '../../src/client';
import type { WizKlaviyoOptions } from '../../src/options';
import type { LockProvider } from '../../src/platform';
import type { ErrorInfo } from '../../src/report';
import { indexedDbStorage } from '../../src/storage';
import { createManualClock } from './manual-clock';

/** An in-page stand-in for navigator.locks: one holder per name, others wait in line. */
export function createLocks(): LockProvider {
  const tails = new Map<string, Promise<void>>();
  return {
    request(name, callback) {
      const previous = tails.get(name) ?? Promise.resolve();
      const run = previous.then(callback, callback);
      tails.set(
        name,
        run.catch(() => undefined),
      );
      return run;
    },
  };
}

/** A page-less platform for tests: manual clock, in-page locks, a fixed random, no window or document. */
export function testPlatform() {
  return {
    clock: createManualClock(),
    locks: createLocks(),
    random: () => 0.5,
    window: undefined,
    document: undefined,
  };
}

/** A fresh IndexedDB and Web Storage, so no test sees another's queue, consent decision or stash. */
export function freshIndexedDb(): void {
  (globalThis as { indexedDB: IDBFactory }).indexedDB = new IDBFactory();
  globalThis.localStorage?.clear();
  globalThis.sessionStorage?.clear();
}

/** One SDK instance with a manual clock, fake IndexedDB, a deterministic random and collected onError reports. */
export function createTestClient(
  overrides: Partial<WizKlaviyoOptions> = {},
  shared = { clock: createManualClock(), locks: createLocks() },
) {
  const errors: ErrorInfo[] = [];
  const client = createWizKlaviyo({
    siteKey: 'AbC123',
    storage: indexedDbStorage(),
    // Delivery tests send guests' events at once; the identity tests opt into holding them.
    guestEvents: 'send',
    onError: (info) => errors.push(info),
    ...overrides,
    platform: {
      clock: shared.clock,
      locks: shared.locks,
      random: () => 0.5,
      window: undefined,
      document: undefined,
      ...overrides.platform,
    },
  });
  return { client, errors, clock: shared.clock, codes: () => errors.map((e) => e.error.code) };
}

/**
 * The script tag's later files as bundled modules, for installGlobal in tests: what dist/wiz-klaviyo.sender.js and
 * dist/wiz-klaviyo.features.js register, handed over at once (the Chromium tests load the real files).
 */
export const bundledParts: PartLoader = async (name) =>
  (name === 'sender' ? createSender : { plugins: laterFeatures, autotrack }) as never;

/**
 * Runs one delivery pass and waits for it, as the sender's own timer would: unlike the public flush(), it does not end
 * a backoff, so a test can check that a retry waits for it.
 */
export const settle = (client: object) => contextOf(client)!.delivery.flush();
