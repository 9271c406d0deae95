import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openStore, useBrowserSuite } from './chromium';

const suite = useBrowserSuite();

describe('debug sentences, in Chromium', () => {
  it('are fetched only with data-debug, and then the console says what happened in English', async () => {
    const context = await suite.newContext();
    const fetched: string[] = [];
    context.on(
      'request',
      (request) => void (request.url().includes('wiz-klaviyo.debug.js') && fetched.push(request.url())),
    );

    const quiet = await openStore(context, `${suite.standIn.url}/store.html`);
    await quiet.evaluate(() => (window as any).wizKlaviyo.identify({ email: 'not-an-email', phone: '+4915112345678' }));
    expect(fetched).toEqual([]);

    const page = await context.newPage();
    const lines: string[] = [];
    page.on('console', (message) => void lines.push(message.text()));
    await page.goto(`${suite.standIn.url}/debug.html`);
    await page.waitForFunction(() => (window as any).wizKlaviyo?.loaded === true);
    await expect.poll(() => fetched, { timeout: 10_000 }).toEqual([`${suite.standIn.url}/dist/wiz-klaviyo.debug.js`]);
    await page.waitForFunction(() => typeof (window as any).__wizKlaviyoDescribe === 'function');

    const status = await page.evaluate(async () => {
      await (window as any).wizKlaviyo.identify({ email: 'not-an-email', phone: '+4915112345678' });
      return (window as any).wizKlaviyo.status();
    });
    expect(status.lastError.code).toBe('invalid_email');
    const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(await page.evaluate(() => (window as any).wizKlaviyo.version)).toBe(version);
    expect(status.lastError.message).toBe('email is not a valid address; ignored.');
    expect(lines.some((line) => line.includes('invalid_email: email is not a valid address; ignored.'))).toBe(true);
  });
});
