import { describe, expect, it, vi } from 'vitest';
import { createLocks, settle } from '../support/harness';
import { createManualClock } from '../support/manual-clock';
import { databaseNames, idOf, useKlaviyo } from '../support/suite';

const { klaviyo, make } = useKlaviyo();

/** One page (or one browser's tabs): one clock and one Web Locks provider. */
const onePage = () => ({ clock: createManualClock(), locks: createLocks() });
const FIRST_BACKOFF = 500; // the harness draws 0.5 for jitter

const deliveredTo = (companyId: string) =>
  klaviyo.received
    .filter((r) => r.answered === 202 && r.url.searchParams.get('company_id') === companyId)
    .map((r) => r.body.data.attributes.unique_id);

describe('two tenants on one page', () => {
  it('keep separate queues: a 429 pause on one does not hold up the other', async () => {
    const page = onePage();
    const acme = make({ siteKey: 'AbC123' }, page).client;
    const zeta = make({ siteKey: 'XyZ789' }, page).client;
    klaviyo.queueAnswers({ status: 429, headers: { 'Retry-After': '60' } });
    const paused = idOf(await acme.track('Viewed Product', {}));
    await vi.waitFor(async () => expect((await acme.status()).pausedUntil).not.toBeNull());

    const other = idOf(await zeta.track('Viewed Product', {}));
    await vi.waitFor(() => expect(deliveredTo('XyZ789')).toEqual([other]));
    expect(await acme.status()).toMatchObject({ tenant: 'AbC123', queued: 1, sent: 0 });
    expect(await zeta.status()).toMatchObject({ tenant: 'XyZ789', queued: 0, sent: 1, pausedUntil: null });

    page.clock.advance(60_000);
    await vi.waitFor(() => expect(deliveredTo('AbC123')).toEqual([paused]));
  });

  it("keep separate dead letters: one tenant's rejection is not the other's", async () => {
    const page = onePage();
    const acme = make({ siteKey: 'AbC123' }, page).client;
    const zeta = make({ siteKey: 'XyZ789' }, page).client;
    klaviyo.queueAnswers(400);
    idOf(await acme.track('Viewed Product', {}));
    await vi.waitFor(async () => expect(await acme.deadLetters.list()).toHaveLength(1));

    expect(await zeta.deadLetters.list()).toEqual([]);
    expect(await zeta.deadLetters.clear()).toBe(0);
    expect(await acme.deadLetters.list()).toHaveLength(1);
    const other = idOf(await zeta.track('Viewed Product', {}));
    await vi.waitFor(() => expect(deliveredTo('XyZ789')).toEqual([other]));
    expect(await zeta.status()).toMatchObject({ deadLettered: 0, queued: 0 });
    expect(await acme.status()).toMatchObject({ deadLettered: 1, queued: 0 });
  });

  it('with one site key and two tenant names, keep separate queues too', async () => {
    const page = onePage();
    const eu = make({ tenant: 'acme-eu' }, page).client;
    const us = make({ tenant: 'acme-us' }, page).client;
    klaviyo.queueAnswers(503);
    await eu.track('Viewed Product', {});
    await vi.waitFor(async () => expect((await eu.status()).sent + klaviyo.events().length).toBe(1));
    await settle(eu);
    await us.track('Viewed Product', {});
    await vi.waitFor(async () => expect(await us.status()).toMatchObject({ queued: 0, sent: 1 }));
    expect(await eu.status()).toMatchObject({ queued: 1, sent: 0 });
  });
});

describe('one tenant, several instances', () => {
  it('sends events an earlier instance left in storage, exactly once', async () => {
    const page = onePage();
    klaviyo.queueAnswers('network');
    const earlier = make({}, page).client;
    const id = idOf(await earlier.track('Added to Cart', {}));
    await vi.waitFor(() => expect(page.clock.pending()).toContain(FIRST_BACKOFF));
    earlier.destroy(); // the page was closed with the event still queued
    expect(await databaseNames()).toContain('wiz-klaviyo:AbC123:queue');

    const next = make({}, page).client;
    page.clock.advance(FIRST_BACKOFF);
    await vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual([id]));
    page.clock.advance(3600_000);
    await next.flush();
    expect(klaviyo.uniqueIds()).toEqual([id, id]); // the failed try and the delivery
    expect(klaviyo.deliveredIds()).toEqual([id]);
    expect(await next.status()).toMatchObject({ queued: 0, sent: 1 });
  });

  it('never sends one unique_id twice from two instances sharing Web Locks', async () => {
    const page = onePage();
    const tabs = [make({}, page).client, make({}, page).client];
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const tab = tabs[i % 2];
      ids.push(idOf(await tab.track('Viewed Product', { n: i })));
      if (i % 3 === 0) void tabs[(i + 1) % 2].flush(); // the other tab wakes up meanwhile
    }
    await vi.waitFor(() => expect(klaviyo.deliveredIds()).toHaveLength(10));
    await Promise.all(tabs.map((tab) => tab.flush()));
    expect([...klaviyo.uniqueIds()].sort()).toEqual([...ids].sort());
    for (const tab of tabs) expect(await tab.status()).toMatchObject({ queued: 0 });
  });

  it('delivers through the storage lease where Web Locks are missing', async () => {
    klaviyo.queueAnswers(500);
    const { client, clock } = make({ platform: { locks: undefined } });
    const id = idOf(await client.track('Viewed Product', {}));
    await vi.waitFor(() => expect(clock.pending()).toContain(FIRST_BACKOFF));
    clock.advance(FIRST_BACKOFF);
    await vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual([id]));
    expect(await client.status()).toMatchObject({ queued: 0, sent: 1 });
  });

  it('never sends one unique_id twice from two instances sharing the storage lease', async () => {
    const page = onePage();
    const noWebLocks = { platform: { locks: undefined } };
    const tabs = [make(noWebLocks, page).client, make(noWebLocks, page).client];
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(idOf(await tabs[i % 2].track('Viewed Product', { n: i })));
    // A tab that found the lease taken looks again after a few seconds.
    await vi.waitFor(() => {
      page.clock.advance(5000);
      expect(klaviyo.deliveredIds()).toHaveLength(10);
    });
    await Promise.all(tabs.map((tab) => tab.flush()));
    expect([...klaviyo.uniqueIds()].sort()).toEqual([...ids].sort());
  });
});
