import { describe, expect, it } from 'vitest';
import { klaviyoExchangeId } from '../../src/klaviyo-cookie';

const exchangeIdFromCookies = (cookie: string) => klaviyoExchangeId({ cookie });

const klaId = (visitor: unknown) => btoa(JSON.stringify(visitor));

describe("reading klaviyo.js's __kla_id cookie", () => {
  it('finds $exchange_id in plain base64 JSON among other cookies', () => {
    const value = klaId({ cid: 'abc', $exchange_id: 'kx.123', $email: 'ada@example.com', $referrer: { ts: 1 } });
    expect(exchangeIdFromCookies(`_ga=GA1.1; __kla_id=${value}; theme=dark`)).toBe('kx.123');
  });

  it('finds it when the value is URI-encoded as well', () => {
    const value = encodeURIComponent(klaId({ $exchange_id: 'kx+/=1' }));
    expect(value).toContain('%');
    expect(exchangeIdFromCookies(`__kla_id=${value}`)).toBe('kx+/=1');
  });

  it('has none for a visitor Klaviyo does not know yet', () => {
    expect(exchangeIdFromCookies(`__kla_id=${klaId({ cid: 'abc', $referrer: { ts: 1 } })}`)).toBeUndefined();
    expect(exchangeIdFromCookies(`__kla_id=${klaId({ $exchange_id: '' })}`)).toBeUndefined();
    expect(exchangeIdFromCookies(`__kla_id=${klaId({ $exchange_id: 42 })}`)).toBeUndefined();
    expect(exchangeIdFromCookies(`__kla_id=${klaId(null)}`)).toBeUndefined();
  });

  it('has none for a value that is not base64 or not JSON, or no cookie at all', () => {
    expect(exchangeIdFromCookies('__kla_id=%%%not base64!')).toBeUndefined();
    expect(exchangeIdFromCookies(`__kla_id=${btoa('not json')}`)).toBeUndefined();
    expect(exchangeIdFromCookies('__kla_id=')).toBeUndefined();
    expect(exchangeIdFromCookies('x__kla_id=' + klaId({ $exchange_id: 'kx' }))).toBeUndefined();
    expect(exchangeIdFromCookies('')).toBeUndefined();
  });

  it('has none, without throwing, where the page may not read cookies', () => {
    const sandboxed = {
      get cookie(): string {
        throw new DOMException('The document is sandboxed', 'SecurityError');
      },
    };
    expect(klaviyoExchangeId(sandboxed)).toBeUndefined();
    expect(klaviyoExchangeId(undefined)).toBeUndefined();
    expect(klaviyoExchangeId({ cookie: `__kla_id=${klaId({ $exchange_id: 'kx' })}` })).toBe('kx');
  });
});
