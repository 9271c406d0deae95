import { describe, expect, it, vi } from 'vitest';
import { useKlaviyo } from '../support/suite';

const { klaviyo, make } = useKlaviyo();

const line = { id: 'p1', name: 'Linen Shirt', price: 49, quantity: 2 };
const order = { id: 'order-1001', lines: [line], total: 98, currency: 'EUR' };
const profileOf = (request: { body: any }) => request.body.data.attributes.profile.data.attributes;
const profiles = () => klaviyo.received.filter((r) => r.kind === 'profile').map((r) => r.body.data.attributes);

describe('placedOrder() for a shopper the SDK never identified (guest checkout)', () => {
  it("identifies the buyer from the order's email, releases what they did as a guest, and records no Logged In", async () => {
    const { client } = make({ guestEvents: 'hold' });
    await client.viewedProduct(line);
    expect((await client.status()).held).toBe(1);

    const results = await client.placedOrder({
      ...order,
      email: 'Ada@Example.com',
      billingAddress: { firstName: 'Ada', lastName: 'Lovelace' },
    });
    expect(results.every((r) => r.ok)).toBe(true);

    await vi.waitFor(() =>
      expect(klaviyo.metrics().sort()).toEqual(['Ordered Product', 'Placed Order', 'Viewed Product']),
    );
    for (const request of klaviyo.events()) expect(profileOf(request).email).toBe('ada@example.com');
    await vi.waitFor(() => expect(profiles()).toHaveLength(1));
    expect(profiles()[0]).toMatchObject({ email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace' });
    expect(klaviyo.metrics()).not.toContain('Logged In');
    expect(await client.status()).toMatchObject({ identified: true, held: 0 });
  });

  it('takes the email and phone from the billing address when the order has none of its own', async () => {
    const { client } = make({ guestEvents: 'hold' });
    await client.placedOrder({ ...order, billingAddress: { email: 'grace@example.com', phone: '+49 151 1234 5678' } });
    await vi.waitFor(() => expect(klaviyo.metrics()).toHaveLength(2));
    expect(profileOf(klaviyo.events()[0])).toMatchObject({
      email: 'grace@example.com',
      phone_number: '+4915112345678',
    });
  });

  it('prefers the top-level email and phone to the billing address', async () => {
    const { client } = make({ guestEvents: 'hold' });
    await client.placedOrder({
      ...order,
      email: 'a@example.com',
      phone: '+15551234567',
      billingAddress: { email: 'b@example.com', phone: '+15557654321' },
    });
    await vi.waitFor(() => expect(klaviyo.metrics()).toHaveLength(2));
    expect(profileOf(klaviyo.events()[0])).toMatchObject({ email: 'a@example.com', phone_number: '+15551234567' });
  });

  it('sends an order that names nobody at once under the anonymous_id instead of holding it', async () => {
    const { client } = make({ guestEvents: 'hold' });
    await client.viewedProduct(line); // a guest's browsing still waits for identify()
    await client.placedOrder(order);
    await vi.waitFor(() => expect(klaviyo.metrics().sort()).toEqual(['Ordered Product', 'Placed Order']));
    for (const request of klaviyo.events()) {
      expect(Object.keys(profileOf(request))).toEqual(['anonymous_id']);
    }
    expect(await client.status()).toMatchObject({ identified: false, held: 1, queued: 1 });
  });

  it('refuses an invalid order before identifying anyone', async () => {
    const { client } = make({ guestEvents: 'hold' });
    const [result] = await client.placedOrder({ lines: [line], email: 'ada@example.com' } as never);
    expect(result.ok).toBe(false);
    await client.flush();
    expect(klaviyo.received).toEqual([]);
    expect((await client.status()).identified).toBe(false);
  });
});
