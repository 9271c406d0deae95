import { afterAll, afterEach, beforeAll } from 'vitest';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/chromium.mjs';
import { startStandIn, type StandIn } from '../../examples/stand-in/server.mjs';

export { launchChromium };

/** More to serve: URL prefix → directory (relative to the repository), e.g. `{ '/store/': 'examples/storefront' }`. */
export interface TestStandInOptions {
  staticRoutes?: Record<string, string>;
  /** Single-page apps, with the stand-in's history fallback, e.g. `{ '/spa/': 'examples/spa' }`. */
  spaRoutes?: Record<string, string>;
}

const resolved = (routes: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries(routes).map(([prefix, dir]) => [prefix, resolve(dir)]));

/** The local Klaviyo stand-in, also serving the built SDK and the test pages (and whatever `options` add). */
export function startTestStandIn(options: TestStandInOptions = {}): Promise<StandIn> {
  return startStandIn({
    staticRoutes: { '/dist/': resolve('dist'), '/': resolve('test/browser/pages'), ...resolved(options.staticRoutes) },
    spaRoutes: resolved(options.spaRoutes),
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

/** The metrics the stand-in kept, sorted: what Klaviyo would show, whatever order the requests landed in. */
export function receivedMetrics(standIn: StandIn): string[] {
  return standIn
    .state()
    .events.map((e) => e.metric)
    .sort();
}

/** The ProductID of every event the stand-in kept, sorted. */
export function receivedProductIds(standIn: StandIn): unknown[] {
  return standIn
    .state()
    .events.map((e) => e.properties.ProductID)
    .sort();
}

export function status(page: Page): Promise<any> {
  return page.evaluate(() => (window as any).wizKlaviyo.status());
}

export interface BrowserSuite {
  readonly standIn: StandIn;
  /** A fresh browser profile (own IndexedDB, storage, locks), closed after the test even when it failed. */
  newContext(): Promise<BrowserContext>;
}

/**
 * One Chromium and one stand-in per test file; every context a test opens is closed after it, and the stand-in reset,
 * so no test's queue can leak events into the next.
 */
export function useBrowserSuite(standInOptions: TestStandInOptions = {}): BrowserSuite {
  let browser: Browser | undefined;
  let standIn: StandIn | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
    standIn = await startTestStandIn(standInOptions);
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    standIn?.reset();
  });
  afterAll(async () => {
    await browser?.close();
    await standIn?.close();
  });
  return {
    get standIn() {
      if (!standIn) throw new Error('the stand-in starts in beforeAll');
      return standIn;
    },
    async newContext() {
      if (!browser) throw new Error('Chromium starts in beforeAll');
      const context = await browser.newContext();
      contexts.push(context);
      return context;
    },
  };
}
