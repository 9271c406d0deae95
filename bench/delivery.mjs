// Delivery against the stand-in: a 1,000-event burst until all of it is received, and 1,000 events queued while
// the stand-in dropped every connection, drained once it returns. Also requests per event and the achieved send
// rate next to the configured token bucket.
import {
  RUNS,
  droppedUnread,
  openBenchPage,
  receivedFor,
  repeat,
  sleep,
  summarize,
  waitFor,
  withContext,
} from './lib.mjs';

const EVENTS = 1000;
export const DELIVERY = { ratePerSecond: 100, burst: 100 };
const PAGE = `bench.html?tenant=bench-delivery&rate=${DELIVERY.ratePerSecond}&burst=${DELIVERY.burst}`;

export async function measureDelivery(browser, standIn) {
  const burst = await repeat(RUNS, () => withContext(browser, (context) => burstRun(context, standIn)));
  const offline = await repeat(RUNS, () => withContext(browser, (context) => offlineRun(context, standIn)));
  const pick = (runs, fn) => summarize(runs.map(fn));
  return {
    configured: DELIVERY,
    concurrency: 4,
    events: EVENTS,
    burst: {
      allReceivedMs: pick(burst, (r) => r.allReceivedMs),
      requestsPerEvent: pick(burst, (r) => r.requests / EVENTS),
      overallRate: pick(burst, (r) => r.rate.overall),
      steadyRate: pick(burst, (r) => r.rate.steady),
      maxOverBucket: pick(burst, (r) => r.rate.maxOverBucket),
      complete: burst.every((r) => r.received === EVENTS),
    },
    offline: {
      drainMs: pick(offline, (r) => r.drainMs),
      attemptsWhileDown: pick(offline, (r) => r.attemptsWhileDown),
      requestsPerEvent: pick(offline, (r) => r.requests / EVENTS),
      overallRate: pick(offline, (r) => r.rate.overall),
      steadyRate: pick(offline, (r) => r.rate.steady),
      maxOverBucket: pick(offline, (r) => r.rate.maxOverBucket),
      complete: offline.every((r) => r.received === EVENTS),
    },
  };
}

async function burstRun(context, standIn) {
  standIn.reset();
  const page = await openBenchPage(context, `${standIn.url}/${PAGE}`);
  // The bucket starts full when the instance is made; a moment's idle keeps that true whatever the page did first.
  await sleep(1000);
  const burst = await page.evaluate((n) => window.trackBurst(window.bench, n, 'delivery-burst'), EVENTS);
  await waitFor(() => receivedFor(standIn.state(), 'delivery-burst').received.size >= EVENTS, {
    timeout: 120_000,
    interval: 250,
  });
  const got = receivedFor(standIn.state(), 'delivery-burst');
  return {
    // Server clock for the last arrival, browser clock for the first track(): the same machine's clock.
    allReceivedMs: Math.max(...got.arrivals) - burst.startedAt,
    received: got.received.size,
    requests: got.requests,
    rate: rateOf(got.arrivals),
  };
}

async function offlineRun(context, standIn) {
  standIn.reset();
  standIn.setFault({ mode: 'drop' });
  const page = await openBenchPage(context, `${standIn.url}/${PAGE}`);
  const burst = await page.evaluate((n) => window.trackBurst(window.bench, n, 'delivery-offline'), EVENTS);
  // Long enough for the sender to fail a few times and back off, as it would through a real outage.
  await sleep(3000);
  const attemptsWhileDown = droppedUnread(standIn.state());
  standIn.setFault({ mode: 'ok' });
  const restoredAt = Date.now();
  // Not awaited: flush() resolves only when its pass ends; the stand-in's clock says when the last event came.
  await page.evaluate(() => void window.bench.flush());
  await waitFor(() => receivedFor(standIn.state(), 'delivery-offline').received.size >= EVENTS, {
    timeout: 120_000,
    interval: 250,
  });
  const got = receivedFor(standIn.state(), 'delivery-offline');
  return {
    stored: burst.ids.length,
    drainMs: Math.max(...got.arrivals) - restoredAt,
    attemptsWhileDown,
    received: got.received.size,
    // After the restore every tagged request has a body; dropped ones before it had none and are counted above.
    requests: got.requests,
    rate: rateOf(got.arrivals),
  };
}

/**
 * Send rate from the server's arrival times. overall: all events over the whole span, initial burst included.
 * steady: the second half of the events, when the bucket's initial tokens are long spent, which is what
 * ratePerSecond limits. maxOverBucket: the most any prefix of arrivals exceeded what the bucket allows by then
 * (burst + rate × elapsed), in events; about 1 or less means the limit held throughout (timestamps are whole ms and
 * up to `concurrency` requests leave together).
 */
function rateOf(arrivals) {
  const times = [...arrivals].sort((a, b) => a - b);
  const span = (times.at(-1) - times[0]) / 1000;
  const mid = Math.floor(times.length / 2);
  const steady = (times.length - 1 - mid) / ((times.at(-1) - times[mid]) / 1000);
  let maxOverBucket = -Infinity;
  times.forEach((t, i) => {
    const allowed = DELIVERY.burst + (DELIVERY.ratePerSecond * (t - times[0])) / 1000;
    maxOverBucket = Math.max(maxOverBucket, i + 1 - allowed);
  });
  return { overall: times.length / span, steady, maxOverBucket };
}
