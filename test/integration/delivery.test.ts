import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createKlaviyoMock } from '../support/klaviyo-mock';
import { createTestClient, freshIndexedDb } from '../support/harness';

const klaviyo = createKlaviyoMock();
beforeAll(() => klaviyo.server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => klaviyo.server.close());
beforeEach(() => {
  freshIndexedDb();
  klaviyo.received.length = 0;
  klaviyo.invalid.length = 0;
  klaviyo.setFallback(202);
});
afterEach(() => expect(klaviyo.invalid).toEqual([]));

describe('delivery to Klaviyo', () => {
  it('sends a tracked event to /client/events with the site key, revision and JSON:API content type', async () => {
    const { client } = createTestClient();
    const result = await client.track('Viewed Product', { ProductName: 'Linen Shirt', Price: 49 });
    expect(result.ok).toBe(true);
    await vi.waitFor(() => expect(klaviyo.events()).toHaveLength(1));
    const [request] = klaviyo.events();
    expect(request.url.searchParams.get('company_id')).toBe('AbC123');
    expect(request.headers.get('revision')).toBe('2026-07-15');
    expect(request.headers.get('content-type')).toBe('application/vnd.api+json');
    const attributes = request.body.data.attributes;
    expect(attributes.metric.data.attributes.name).toBe('Viewed Product');
    expect(attributes.properties).toEqual({ ProductName: 'Linen Shirt', Price: 49 });
    expect(attributes.unique_id).toBe(result.ok && result.uniqueId);
    expect(attributes.profile.data.attributes.anonymous_id).toMatch(/^[0-9a-f-]{36}$/);
    client.destroy();
  });
});
