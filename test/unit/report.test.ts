import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { startAutotrack } from '../../src/autotrack/index';
import { createWizKlaviyo } from '../../src/client';
import { createWizKlaviyo as createCore } from '../../src/core';
import { debugOutput } from '../../src/plugins/debug';
import { WizKlaviyoError } from '../../src/errors';
import { reporterOf } from '../../src/core/create';
import { installGlobal } from '../../src/global';
import type { WizKlaviyoOptions } from '../../src/options';
import { createReporter, maskPii, type ErrorInfo } from '../../src/report';
import { indexedDbStorage } from '../../src/storage';
import { testPlatform, bundledParts } from '../support/harness';
import { idOf, useKlaviyo } from '../support/suite';

const { klaviyo, make } = useKlaviyo();
const FAST = { interval: 2, timeout: 2000 };

describe('maskPii', () => {
  it.each([
    'ada@example.com',
    'Ada.Lovelace+shop@mail.example.co.uk',
    'ADA_99@EXAMPLE.ORG',
    'jürgen.müller@bücher.de',
    'пользователь@пример.рф',
    '用户@例子.广告',
  ])('masks the email %s', (email) => {
    const masked = maskPii(`buyer ${email} identified`);
    expect(masked).not.toContain(email);
    expect(masked).not.toContain(email.split('@')[0]);
    expect(masked).toMatch(/^buyer \S+\*\*\*@\S+ identified$/);
  });

  it.each([
    '+4915112345678',
    '+49 151 12345678',
    '+49 (151) 123 456 78',
    '0049 151 1234 5678',
    '+1 (555) 123.4567',
    '+1-555-123-4567',
    '555-123-4567',
  ])('masks the phone number %s but its last two digits', (phone) => {
    const masked = maskPii(`call ${phone} now`);
    const digits = phone.replace(/\D/g, '');
    expect(masked.replace(/\D/g, '')).toBe(digits.slice(-2));
    expect(masked).toMatch(/^call \*\*\*\d\d now$/);
  });

  it('leaves UUIDs, natural keys, ISO times and small numbers alone', () => {
    const uuids = [
      crypto.randomUUID(),
      crypto.randomUUID(),
      '12345678-1234-4234-8234-123456789012',
      'ABCDEF01-2345-4678-9ABC-DEF012345678',
    ];
    const text = `${uuids.join(' ')} order-1001:2 at 2026-11-28T12:00:00.000Z retry in 1500 ms, 3 of 10`;
    expect(maskPii(text)).toBe(text);
  });

  it('masks PII next to a UUID without touching the UUID', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(maskPii(`${id} ada@example.com +4915112345678`)).toBe(`${id} a***@example.com ***78`);
  });
});

describe('debug mode', () => {
  const EMAIL = 'ada.lovelace@example.com';
  const PHONE = '+4915112345678';
  const spies: MockInstance[] = [];
  beforeEach(() => {
    for (const method of ['info', 'warn', 'log', 'error', 'debug'] as const)
      spies.push(vi.spyOn(console, method).mockImplementation(() => undefined));
  });
  afterEach(() => {
    for (const spy of spies.splice(0)) spy.mockRestore();
  });
  const printed = () =>
    spies
      .flatMap((spy) => spy.mock.calls.flat())
      .map((arg) => (typeof arg === 'string' ? arg : (JSON.stringify(arg) ?? String(arg))));
  const expectNoPii = () => {
    const lines = printed();
    for (const secret of [EMAIL, 'ada.lovelace', 'ada@', PHONE, '15112345678', '151 1234']) {
      expect(
        lines.filter((line) => line.includes(secret)),
        secret,
      ).toEqual([]);
    }
  };

  it('never prints an email or phone from identify(), events or Klaviyo answers', async () => {
    const { client } = make({ debug: true, delivery: { concurrency: 1 } });
    await client.identify({ email: EMAIL, phone: '+49 151 1234 5678', firstName: 'Ada' }, { reason: 'login' });
    idOf(await client.track('Viewed Product', { Email: EMAIL, Phone: PHONE, Note: `call ${PHONE} or mail ${EMAIL}` }));
    // Klaviyo refusing an event and echoing the PII in its detail; then a failure that is retried.
    klaviyo.queueAnswers({
      status: 400,
      body: { errors: [{ status: 400, detail: `Profile ${EMAIL} / ${PHONE} is suppressed` }] },
    });
    idOf(await client.track('Searched Site', { SearchTerm: EMAIL }));
    await vi.waitFor(async () => expect(await client.deadLetters.list()).toHaveLength(1), FAST);
    await client.identify({ email: 'ada.lovelace@example', phone: '151 1234 5678' });
    await vi.waitFor(() => expect(klaviyo.events().length).toBeGreaterThanOrEqual(3), FAST);

    const lines = printed();
    expect(lines.some((line) => line.includes('identified'))).toBe(true);
    expect(lines.some((line) => line.includes('dead'))).toBe(true);
    expectNoPii();
    // Klaviyo itself does receive the buyer: masking is for the console only.
    expect(klaviyo.received.some((r) => JSON.stringify(r.body).includes(EMAIL))).toBe(true);
  });

  it('never prints the email of a misspelt call queued on the stub', async () => {
    const target = { wizKlaviyo: [['identfy', { email: EMAIL, phone: PHONE }], [EMAIL]] };
    const errors: ErrorInfo[] = [];
    const global = installGlobal(
      target,
      { ...pageOptions(), debug: true, onError: (info) => errors.push(info) },
      bundledParts,
      { watchPage: false },
    );
    try {
      expect(errors.map((e) => e.error.code)).toEqual(['invalid_call', 'invalid_call']);
      expect(printed().length).toBeGreaterThan(0);
      expectNoPii();
    } finally {
      global.destroy();
    }
  });
});

/** Options as createTestClient would build them, for entry points that take options. */
function pageOptions(): WizKlaviyoOptions {
  return {
    siteKey: 'AbC123',
    storage: indexedDbStorage(),
    guestEvents: 'send',
    platform: testPlatform(),
  };
}

describe('a private key', () => {
  const KEY = `pk_${'a1B2c3D4e5'.repeat(3)}f6g7`;
  let warn: MockInstance;
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it.each<[string, Partial<WizKlaviyoOptions>]>([
    ['as the site key', { siteKey: KEY }],
    ['as the site key with spaces around it', { siteKey: `  ${KEY}  ` }],
    ['as the tenant', { siteKey: 'AbC123', tenant: KEY }],
    ['inside the endpoint URL', { siteKey: 'AbC123', endpoint: `https://proxy.example/klaviyo?key=${KEY}` }],
    ['inside eventNames', { siteKey: 'AbC123', eventNames: { 'Searched Site': KEY } }],
  ])('is refused and never echoed in full, given %s', async (_label, given) => {
    const errors: ErrorInfo[] = [];
    const client = createWizKlaviyo({
      ...pageOptions(),
      ...given,
      debug: true,
      onError: (info) => errors.push(info),
    } as WizKlaviyoOptions);
    expect(errors.map((e) => e.error.code)).toEqual(['private_key_refused']);
    const status = await client.status();
    expect(status.refused?.code).toBe('private_key_refused');
    const result = await client.track('Viewed Product', {});
    expect(!result.ok && result.error.code).toBe('private_key_refused');

    const texts = [
      ...errors.flatMap((e) => [e.error.message, JSON.stringify(e.error.details)]),
      JSON.stringify(status),
      !result.ok ? result.error.message : '',
      ...warn.mock.calls.flat().map(String),
    ];
    expect(warn).toHaveBeenCalled();
    for (const text of texts) expect(text).not.toContain(KEY.slice(3, 20));
    await client.flush();
    expect(klaviyo.received).toEqual([]);
  });
});

describe('an onError hook that throws', () => {
  const nasty = Object.create(null) as object; // String(nasty) throws too
  const stringless = {
    toString: () => {
      throw new Error('no string');
    },
  };

  it.each<[string, unknown]>([
    ['an Error', new Error('hook exploded')],
    ['a string', 'hook exploded'],
    ['an object without a prototype', nasty],
    ['an object whose toString throws', stringless],
  ])('does not break tracking when it throws %s', async (_label, thrown) => {
    const calls: string[] = [];
    const onError = (info: ErrorInfo) => {
      calls.push(info.error.code);
      throw thrown;
    };
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const { client } = make({ onError, debug: true });
      const first = idOf(await client.track('Viewed Product', { ProductName: 'Linen Shirt', fn: () => 1 }));
      const refused = await client.track('', {});
      expect(!refused.ok && refused.error.code).toBe('invalid_event_name');
      const identified = await client.identify({ email: 'not-an-email', phone: '+4915112345678' });
      expect(identified.ok).toBe(true);
      const second = idOf(await client.track('Searched Site', { SearchTerm: 'linen' }));
      await vi.waitFor(() => expect(klaviyo.deliveredIds()).toEqual(expect.arrayContaining([first, second])), FAST);
      expect(calls).toEqual(['event_repaired', 'invalid_event_name', 'invalid_email']);
    } finally {
      info.mockRestore();
      warn.mockRestore();
    }
  });

  it('does not break auto-tracking either', () => {
    document.body.innerHTML = `<div data-wk-product='{"id":'></div><button data-wk-add-to-cart="nope">Add</button>`;
    const seen: string[] = [];
    const { client } = make({
      onError: (info) => {
        seen.push(info.error.code);
        throw new Error('hook exploded');
      },
    });
    const autotrack = startAutotrack(client);
    try {
      expect(() => (document.querySelector('button') as HTMLElement).click()).not.toThrow();
      expect(seen).toEqual(['invalid_markup', 'invalid_markup']);
    } finally {
      autotrack.stop();
      document.body.innerHTML = '';
      sessionStorage.clear();
    }
  });

  it.each([
    ['by its code', undefined, 'hook_threw: cause=Error: could not mail a***@example.com'],
    ['in English with the debug plugin', debugOutput.describe, 'onError hook threw (Error: could not mail a***@'],
  ])('is still logged in debug mode, %s, masked', (_, describe, said) => {
    const lines: string[] = [];
    const out = { info: (line: string) => lines.push(line), warn: (line: string) => lines.push(line) };
    const reporter = createReporter({
      tenant: 't',
      debug: true,
      now: () => 0,
      console: out,
      describe,
      onError: () => {
        throw new Error('could not mail ada@example.com');
      },
    });
    expect(() => reporter.error(new WizKlaviyoError('send_failed', { detail: 'no answer' }))).not.toThrow();
    expect(lines.some((line) => line.includes(said))).toBe(true);
    expect(lines.join('\n')).not.toContain('ada@example.com');
  });
});

describe('watching tracked events (the data-debug="panel" panel)', () => {
  it('tells each watcher what track() stored, until it unsubscribes; a throwing watcher costs nothing', async () => {
    const { client: sdk } = make();
    const reporter = reporterOf(sdk)!;
    const seen: string[] = [];
    reporter.watch(() => {
      throw new Error('a broken panel');
    });
    const stop = reporter.watch((event) => seen.push(`${event.metric} ${JSON.stringify(event.properties)}`));
    expect((await sdk.track('Viewed Product', { ProductID: 'p1' })).ok).toBe(true);
    stop();
    await sdk.track('Searched Site', { SearchTerm: 'shirt' });
    expect(seen).toEqual(['Viewed Product {"ProductID":"p1"}']);
  });
});

describe('the debug plugin', () => {
  it('turns trace codes into English lines; without it they are codes and details', () => {
    const traced = (describe?: (error: { code: string; details: Record<string, unknown> }) => string) => {
      const lines: string[] = [];
      const out = { info: (line: string) => lines.push(line), warn: (line: string) => lines.push(line) };
      const reporter = createReporter({ tenant: 't', debug: true, now: () => 0, console: out, describe });
      reporter.debug('queued', { metric: 'Viewed Product', uniqueId: 'u1' });
      reporter.debug('delivered', { kind: 'profile' });
      reporter.debug('identified', { reason: 'login', released: 2 });
      return lines;
    };
    expect(traced()).toEqual([
      '[wiz-klaviyo:t] queued: metric=Viewed Product, uniqueId=u1',
      '[wiz-klaviyo:t] delivered: kind=profile',
      '[wiz-klaviyo:t] identified: reason=login, released=2',
    ]);
    expect(traced(debugOutput.describe)).toEqual([
      '[wiz-klaviyo:t] queued "Viewed Product" (u1)',
      '[wiz-klaviyo:t] delivered profile update',
      '[wiz-klaviyo:t] identified (login); 2 held events released',
    ]);
  });

  const buyer = { email: 'ada@example', phone: '+49 151 12345678x', firstName: {} };

  /** A core instance with identity and status, with or without the debug plugin, reporting to `lines`. */
  async function identifyBadly(debug: boolean) {
    const { identity, statusAndDeadLetters } = await import('../../src/core');
    const lines: string[] = [];
    const errors: ErrorInfo[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation((line: string) => void lines.push(line));
    try {
      const client = createCore(
        { ...pageOptions(), debug: true, onError: (info) => errors.push(info) },
        debug ? [identity, statusAndDeadLetters, debugOutput] : [identity, statusAndDeadLetters],
      );
      await client.identify(buyer as never);
      await client.track('Viewed Product', { ProductName: 'Linen Shirt', contact: 'ada@example.com', fn: () => 1 });
      return { lines, errors, status: await client.status() };
    } finally {
      warn.mockRestore();
    }
  }

  it('says each problem in English, masked, on the console, in status() and in onError', async () => {
    const { lines, errors, status } = await identifyBadly(true);
    expect(errors.map((e) => e.error.code)).toEqual([
      'invalid_email',
      'invalid_phone',
      'invalid_identity',
      'event_repaired',
    ]);
    expect(errors[0].error.message).toBe('email is not a valid address; ignored.');
    expect(errors[2].error.message).toBe('firstName must be a string; got object.');
    expect(errors[3].error.message).toMatch(/^"Viewed Product" was repaired: /);
    expect(lines.some((line) => line.includes('invalid_email: email is not a valid address; ignored.'))).toBe(true);
    expect(status.lastError?.message).toMatch(/^"Viewed Product" was repaired: properties\.fn: function dropped\.$/);
    for (const text of [...lines, JSON.stringify(status), ...errors.map((e) => e.error.message)]) {
      expect(text).not.toContain('ada@example.com');
    }
  });

  it('is absent by default: codes and details, no English', async () => {
    const { lines, errors, status } = await identifyBadly(false);
    expect(errors.map((e) => [e.error.code, e.error.details])).toEqual([
      ['invalid_email', { field: 'email' }],
      ['invalid_phone', { field: 'phone' }],
      ['invalid_identity', { field: 'firstName', rule: 'text', got: 'object' }],
      ['event_repaired', { metric: 'Viewed Product', repairs: ['properties.fn: function'] }],
    ]);
    expect(errors.map((e) => e.error.message)).toEqual(errors.map((e) => e.error.code));
    expect(status.lastError?.message).toBe(
      'event_repaired: metric=Viewed Product, repairs=["properties.fn: function"]',
    );
    expect(lines.join('\n')).not.toMatch(/must be|not a valid address|was repaired|dropped/);
    expect(lines.some((line) => line.includes('invalid_identity: field=firstName, rule=text, got=object'))).toBe(true);
  });

  it('describes refused options too, and status().refused says it', async () => {
    const errors: ErrorInfo[] = [];
    const options = { ...pageOptions(), tenant: 'no spaces', onError: (info: ErrorInfo) => errors.push(info) };
    const plain = createCore(options, [(await import('../../src/core')).statusAndDeadLetters]);
    expect((await plain.status()).refused).toEqual({
      code: 'invalid_option',
      message: 'invalid_option: option=tenant, rule=tenant',
    });
    const described = createCore(options, [(await import('../../src/core')).statusAndDeadLetters, debugOutput]);
    expect((await described.status()).refused?.message).toBe('tenant must be 1–64 letters, digits, ".", "_" or "-".');
    expect(errors.map((e) => [e.error.code, e.error.details])).toEqual([
      ['invalid_option', { option: 'tenant', rule: 'tenant' }],
      ['invalid_option', { option: 'tenant', rule: 'tenant' }],
    ]);
    expect(errors[1].error.message).toBe('tenant must be 1–64 letters, digits, ".", "_" or "-".');
  });
});
