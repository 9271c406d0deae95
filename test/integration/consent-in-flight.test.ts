import { describe, expect, it, vi } from 'vitest';
import { useKlaviyo } from '../support/suite';

const { klaviyo, make } = useKlaviyo();

describe('a request in flight when consent is withdrawn', () => {
  it('is not written back when it fails, so a later opt-in never sends what was collected before', async () => {
    // The first request hangs until the test answers it with a 500; later ones go to the msw Klaviyo.
    let answer!: (response: Response) => void;
    let calls = 0;
    const fetch: typeof globalThis.fetch = (input, init) => {
      calls++;
      if (calls === 1) return new Promise((resolve) => (answer = resolve));
      return globalThis.fetch(input, init);
    };
    const { client } = make({ platform: { fetch } });
    expect((await client.track('Viewed Product', { ProductID: 'before' })).ok).toBe(true);
    await vi.waitFor(() => expect(calls).toBe(1));

    await client.setConsent(false);
    answer(new Response('{"errors":[{"detail":"A server error occurred."}]}', { status: 500 }));
    await client.setConsent(true);
    expect((await client.track('Viewed Product', { ProductID: 'after' })).ok).toBe(true);
    await client.flush();
    await vi.waitFor(() => expect(klaviyo.events()).toHaveLength(1));
    expect(klaviyo.events().map((r) => r.body.data.attributes.properties.ProductID)).toEqual(['after']);
    expect((await client.status()).queued).toBe(0);
  });

  it('does not hold up what is tracked after a withdrawal and a new opt-in: it is sent once and leaves the queue', async () => {
    const { client } = make();
    await client.track('Viewed Product', { ProductID: 'before' });
    await vi.waitFor(() => expect(klaviyo.events()).toHaveLength(1));
    await client.setConsent(false);
    await client.setConsent(true);
    expect((await client.track('Viewed Product', { ProductID: 'after' })).ok).toBe(true);
    await vi.waitFor(async () => expect((await client.status()).queued).toBe(0));
    expect(klaviyo.events().map((r) => r.body.data.attributes.properties.ProductID)).toEqual(['before', 'after']);
  });
});
