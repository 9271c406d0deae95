import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { WizKlaviyo } from '../../src/client';
import { createTestClient, freshIndexedDb } from './harness';
import { createKlaviyoMock } from './klaviyo-mock';

/**
 * The per-test setup of an integration file: msw answering as Klaviyo (unhandled requests are errors), a fresh
 * IndexedDB and fresh answers before each test, and after each one every client destroyed and every body valid.
 */
export function useKlaviyo() {
  const klaviyo = createKlaviyoMock();
  let made: WizKlaviyo[] = [];
  beforeAll(() => klaviyo.server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => klaviyo.server.close());
  beforeEach(() => {
    freshIndexedDb();
    klaviyo.reset();
  });
  afterEach(() => {
    for (const client of made) client.destroy();
    made = [];
    expect(klaviyo.invalid).toEqual([]);
  });

  /** createTestClient, destroyed after the test. */
  function make(...args: Parameters<typeof createTestClient>) {
    const made_ = createTestClient(...args);
    made.push(made_.client);
    return made_;
  }

  return { klaviyo, make };
}

/** The unique_id of a track() that must have been stored. */
export function idOf(result: { ok: boolean; uniqueId?: string }): string {
  expect(result.ok).toBe(true);
  return result.uniqueId as string;
}

/** The names of IndexedDB databases that exist: what an instance has stored anything in. */
export async function databaseNames(): Promise<string[]> {
  return (await indexedDB.databases()).map((db) => db.name ?? '');
}
