import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startStandIn, type StandIn } from '../../examples/stand-in/server.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The flags this machine needs: no sandbox as root, and no background traffic to hosts it cannot reach. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/** The local Klaviyo stand-in, also serving the built SDK and the test pages. */
export function startTestStandIn(): Promise<StandIn> {
  return startStandIn({
    staticRoutes: { '/dist/': resolve('dist'), '/': resolve('test/browser/pages') },
  });
}

/** Opens a page and waits until the script tag has replaced the stub with the live SDK. */
export async function openStore(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => (window as any).wizKlaviyo?.loaded === true);
  return page;
}

/** Tracks an event in the page and returns what track() resolved with. */
export function track(page: Page, name: string, properties: Record<string, unknown> = {}) {
  return page.evaluate(([n, p]) => (window as any).wizKlaviyo.track(n, p), [name, properties] as const);
}

export function status(page: Page): Promise<any> {
  return page.evaluate(() => (window as any).wizKlaviyo.status());
}
