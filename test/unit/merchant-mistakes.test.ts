import { bundledParts } from '../support/harness';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWizKlaviyo } from '../../src/client';
import { installGlobal } from '../../src/global';

const PRIVATE = 'pk_0123456789abcdef0123456789abcdef01';
let warn: ReturnType<typeof vi.spyOn>;
const warnings = () => warn.mock.calls.map((call) => String(call[0]));
afterEach(() => warn.mockRestore());
const spy = () => (warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined));

describe('a refused site key is visible without debug mode', () => {
  it.each([
    ['missing', ''],
    ['malformed', 'abc'],
    ['private', PRIVATE],
  ])('ES module, %s key: one console warning naming siteKey, no key material', (_kind, siteKey) => {
    spy();
    createWizKlaviyo({ siteKey, platform: { window: undefined, document: undefined } });
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatch(
      /^\[wiz-klaviyo\] siteKey: (invalid_site_key|private_key_refused); nothing will be tracked\.$/,
    );
    expect(warnings()[0]).not.toContain('0123456789');
  });

  it('script tag: the warning names the data-site-key attribute', () => {
    spy();
    installGlobal({}, { siteKey: PRIVATE, platform: { window: undefined, document: undefined } }, bundledParts, {
      watchPage: false,
    });
    expect(warnings()).toEqual(['[wiz-klaviyo] data-site-key: private_key_refused; nothing will be tracked.']);
  });

  it('status() of a refused instance does not claim consent was denied, and its lastError has a time', async () => {
    spy();
    const refused = createWizKlaviyo({
      siteKey: 'abc',
      consent: 'pending',
      platform: { window: undefined, document: undefined },
    });
    const status = await refused.status();
    expect(status.refused?.code).toBe('invalid_site_key');
    expect(status.consent).toBe('granted'); // the options were refused before any consent could apply
    expect(status.lastError?.code).toBe('invalid_site_key');
    expect(Number.isNaN(Date.parse(status.lastError?.at ?? ''))).toBe(false);
  });

  it('a second script tag with another key warns that window.wizKlaviyo stays the first', () => {
    spy();
    const target: { wizKlaviyo?: unknown } = {};
    const platform = { window: undefined, document: undefined };
    const first = installGlobal(target, { siteKey: 'AbC123', platform }, bundledParts, { watchPage: false });
    installGlobal(target, { siteKey: 'XyZ789', platform }, bundledParts, { watchPage: false });
    expect(target.wizKlaviyo).toBe(first);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain('window.wizKlaviyo is the first');
    expect(warnings()[0]).not.toContain('XyZ789');
    first.destroy();
  });
});

describe('a private key never reaches the console', () => {
  it.each([
    ['data-site-key', { siteKey: PRIVATE }],
    ['data-tenant', { siteKey: 'AbC123', tenant: PRIVATE }],
  ])('with %s holding it and data-debug on', async (_where, keys) => {
    spy();
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    try {
      const global = installGlobal(
        {},
        { ...keys, debug: true, platform: { window: undefined, document: undefined } },
        bundledParts,
        { watchPage: false },
      );
      await global.track('Viewed Product', {});
      await global.status();
      const printed = [...warn.mock.calls, ...info.mock.calls].flat().map(String).join('\n');
      expect(printed).toContain('private_key_refused');
      expect(printed).not.toContain('0123456789abcdef');
    } finally {
      info.mockRestore();
    }
  });
});
