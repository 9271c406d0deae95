// npm run soak: a seeded multi-tab chaos run in Chromium against the stand-in. Four tabs of one store track bursts
// while the run reloads, closes and reopens tabs, takes the browser offline, and makes the stand-in answer 500, 429
// with Retry-After 1–5 s, drop connections before or after reading the body. Then everything recovers and the run
// waits for the queue to drain. It prints what was tracked, delivered and lost (and where each lost one is), events
// that arrived under two unique_ids, re-sends after a 2xx (and apart, after a connection cut once the body was read:
// the page heard no answer, so it must send again), the busiest second and page errors, and fails (exit 1)
// when anything is lost, a page threw, an event arrived twice or a second carried more than burst + rate requests.
//
//   node bench/soak.mjs [--seed N] [--seconds S]      (npm test runs --seconds 30; the README quotes 3-minute runs)
import { parseArgs } from 'node:util';
import {
  launchChromium,
  openBenchPage,
  peakPerSecond,
  receivedFor,
  sleep,
  startBenchStandIn,
  table,
  waitFor,
} from './lib.mjs';

const { values } = parseArgs({
  options: { seed: { type: 'string', default: '1' }, seconds: { type: 'string', default: '180' } },
});
const SEED = Number(values.seed);
const SECONDS = Number(values.seconds);
const TABS = 4;
// The SDK's defaults: no second may carry more than burst + rate requests, whatever the tabs do.
const RATE = { ratePerSecond: 10, burst: 20 };
const DRAIN_TIMEOUT_MS = 180_000;

/** mulberry32: the same seed gives the same run of choices. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(SEED);
const between = (min, max) => min + Math.floor(random() * (max - min + 1));
const pick = (list) => list[Math.floor(random() * list.length)];

const tag = `soak-${SEED}`;
const standIn = await startBenchStandIn();
const browser = await launchChromium();
const context = await browser.newContext();
const url = `${standIn.url}/bench.html?tenant=${tag}&rate=${RATE.ratePerSecond}&burst=${RATE.burst}`;
const pageErrors = [];
const tracked = new Set();
const counts = { bursts: 0, reloads: 0, reopened: 0, offline: 0, faults: 0 };
/** When pages went away (reload, close) and when the browser was offline: what a re-send is laid at. */
const moments = { pageLeft: [], offline: [] };
let next = 0;

async function openTab() {
  const page = await openBenchPage(context, url);
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  return page;
}

/** One burst of 1–12 events in a tab; an event counts as tracked once track() resolved { ok: true }. */
async function burst(tabs) {
  const page = pick(tabs);
  const n = between(1, 12);
  const from = next;
  next += n;
  const result = await page
    .evaluate(([count, t, start]) => window.trackBurst(window.bench, count, t, start), [n, tag, from])
    .catch(() => undefined); // the tab was reloaded or closed under the call: those events never resolved ok
  for (const id of result?.ids ?? []) tracked.add(id);
  counts.bursts++;
}

async function chaos(tabs) {
  const roll = random();
  if (roll < 0.55) return burst(tabs);
  const i = between(0, tabs.length - 1);
  if (roll < 0.68) {
    counts.reloads++;
    moments.pageLeft.push(Date.now());
    return tabs[i].reload().catch(() => undefined);
  }
  if (roll < 0.78) {
    counts.reopened++;
    moments.pageLeft.push(Date.now());
    await tabs[i].close();
    await sleep(between(100, 1500));
    tabs[i] = await openTab();
    return undefined;
  }
  if (roll < 0.86) {
    counts.offline++;
    const from = Date.now();
    await context.setOffline(true);
    await sleep(between(1000, 4000));
    await context.setOffline(false);
    moments.offline.push([from, Date.now()]);
    return undefined;
  }
  counts.faults++;
  const fault = pick([
    { mode: '500' },
    { mode: '429', retryAfter: between(1, 5) },
    { mode: 'drop' },
    { mode: 'drop-after-read' },
  ]);
  standIn.setFault(fault);
  await sleep(between(1000, 5000));
  standIn.setFault({ mode: 'ok' });
  return undefined;
}

const started = Date.now();
const tabs = [];
for (let i = 0; i < TABS; i++) tabs.push(await openTab());
while (Date.now() - started < SECONDS * 1000) {
  await chaos(tabs);
  await sleep(between(50, 400));
}

// Recovery: the network and Klaviyo are healthy; flush() now and then, until every tracked event has arrived.
standIn.setFault({ mode: 'ok' });
await context.setOffline(false);
const flushAll = () => Promise.all(tabs.map((tab) => tab.evaluate(() => window.bench.flush()).catch(() => undefined)));
await waitFor(() => [...tracked].every((id) => receivedFor(standIn.state(), tag).received.has(id)), {
  timeout: DRAIN_TIMEOUT_MS,
  interval: 500,
  tick: { every: 3000, run: flushAll },
});
const queued = await tabs[0].evaluate(() => window.bench.status().then((s) => s.queued)).catch(() => -1);
const deadLetters = await tabs[0].evaluate(() => window.bench.deadLetters.list()).catch(() => []);

const state = standIn.state();
const got = receivedFor(state, tag);
const lost = [...tracked].filter((id) => !got.received.has(id));
const dead = new Map(deadLetters.map((letter) => [letter.record?.payload?.uniqueId, letter.reason?.code]));
const where = lost.map((id) => `${id}: ${dead.has(id) ? `dead letter (${dead.get(id)})` : 'not in the dead letters'}`);
// One event (its `n`) that Klaviyo would keep twice, under two unique_ids.
const idsByN = new Map();
for (const event of state.events.filter((e) => e.properties?.bench === tag)) {
  idsByN.set(event.properties.n, (idsByN.get(event.properties.n) ?? new Set()).add(event.uniqueId));
}
const twoIds = [...idsByN.values()].filter((ids) => ids.size > 1).length;
const { afterAnswer, afterCut, causes } = resends(state);
const resendShare = tracked.size ? afterAnswer / tracked.size : 0;
const peak = peakPerSecond(state);
const limit = RATE.burst + RATE.ratePerSecond;

console.log(`soak: seed ${SEED}, ${SECONDS} s, ${TABS} tabs (${JSON.stringify(counts)})`);
console.log(
  table(
    ['figure', 'value'],
    [
      ['tracked ({ ok: true })', tracked.size],
      ['delivered (distinct unique_ids)', got.received.size],
      ['lost', lost.length],
      ['events under two unique_ids', twoIds],
      ['re-sends after a 2xx (target under 2 %)', `${afterAnswer} (${(resendShare * 100).toFixed(2)} %)`],
      ['  of which: a page left within 2 s of the answer', causes.pageLeft],
      ['  of which: the answer came while going offline', causes.offline],
      ['  of which: neither', causes.other],
      ['re-sends after a connection cut once the body was read', afterCut],
      ['requests in all', got.requests],
      ['busiest second (requests)', `${peak} (burst + rate: ${limit})`],
      ['page errors', pageErrors.length],
      ['still queued at the end', queued],
    ],
  ),
);
for (const line of where.slice(0, 20)) console.log(`lost ${line}`);
for (const error of pageErrors.slice(0, 10)) console.log(`page error: ${error}`);

await context.close();
await browser.close();
await standIn.close();
// Re-sends after a 2xx are printed against their target, not failed on: most are answers the page never heard (a
// request in flight when its tab was reloaded or closed, or when the browser went offline), so their share follows
// how often the run does that, not only the SDK.
if (resendShare >= 0.02) console.log('soak: re-sends after a 2xx are over the 2 % target');
const failed = lost.length > 0 || pageErrors.length > 0 || twoIds > 0 || peak > limit;
if (failed) console.error('soak: FAILED (lost events, page errors, two unique_ids or a second over the limit)');
process.exit(failed ? 1 : 0);

/**
 * Requests for a unique_id the stand-in had already stored: after it answered 202 (the page could have known), or
 * after a 'drop-after-read' cut the connection once the body was stored (the page heard no answer: at-least-once).
 */
function resends(received) {
  const firstStored = new Map();
  let afterAnswer = 0;
  let afterCut = 0;
  const causes = { pageLeft: 0, offline: 0, other: 0 };
  for (const request of received.requests) {
    const attributes = request.body?.data?.attributes;
    if (attributes?.properties?.bench !== tag) continue;
    const earlier = firstStored.get(attributes.unique_id);
    if (earlier?.status === 202) {
      afterAnswer++;
      causes[causeOf(earlier.at)]++;
    } else if (earlier?.status === 0) afterCut++;
    if ((request.status === 202 || request.status === 0) && earlier?.status !== 202) {
      firstStored.set(attributes.unique_id, { status: request.status, at: Date.parse(request.receivedAt) });
    }
  }
  return { afterAnswer, afterCut, causes };
}

/** Why a page may not have heard an answer that came at `at`: its page left about then, or the browser went offline. */
function causeOf(at) {
  if (moments.pageLeft.some((left) => Math.abs(at - left) < 2000)) return 'pageLeft';
  if (moments.offline.some(([from, to]) => at >= from - 1000 && at <= to)) return 'offline';
  return 'other';
}
