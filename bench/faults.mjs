// The fault matrix: each row tracks a batch of events through one kind of trouble and then counts, from what the
// stand-in received, how many distinct unique_ids arrived, how many requests repeated one already processed
// (at-least-once on the wire; Klaviyo keeps one), and how many tracked events never arrived (the figure that must
// be 0). Each row runs once: these are counts, not timings.
import {
  RUNS,
  droppedUnread,
  peakPerSecond,
  openBenchPage,
  receivedFor,
  repeat,
  sleep,
  summarize,
  waitFor,
  withContext,
} from './lib.mjs';

// The SDK's default burst, a faster steady rate: a 100-event batch drains in ~4 s, so a reload or a closed tab
// lands mid-drain and the whole matrix stays within a minute or two.
const RATE = { ratePerSecond: 20, burst: 20 };
const EVENTS = 100;
/** Generous: a 500 spell can leave the head of the queue in a backoff of up to ~16 s that flush() cannot cut. */
const SETTLE_TIMEOUT_MS = 90_000;

const ROWS = [
  { name: '500s for 5 s, then recovery', run: faultSpell({ mode: '500' }, 5000) },
  { name: '429 with Retry-After: 2 (for 4 s)', run: faultSpell({ mode: '429', retryAfter: 2 }, 4000) },
  { name: 'drop-after-read for 3 s', run: faultSpell({ mode: 'drop-after-read' }, 3000) },
  { name: 'page reload mid-drain', run: interrupted((page) => page.reload()) },
  { name: 'three tabs tracking at once', run: threeTabs },
  { name: 'tab closed mid-drain, reopened', run: interrupted(closeAndReopen) },
];

export const FAULT_RATE = RATE;

/** Each row RUNS times, each run in a fresh browser profile; counts are summarised, `lost` by its worst run. */
export async function measureFaults(browser, standIn) {
  const rows = [];
  for (const [i, row] of ROWS.entries()) {
    const runs = await repeat(RUNS, (n) =>
      withContext(browser, (context) => runRow(context, standIn, row, `fault-${i}-${n}`)),
    );
    const stat = (field) => summarize(runs.map((r) => r[field]));
    rows.push({
      row: row.name,
      tracked: stat('tracked'),
      received: stat('received'),
      duplicates: stat('duplicates'),
      lost: stat('lost'),
      requests: stat('requests'),
      peakPerSecond: stat('peakPerSecond'),
      settled: runs.every((r) => r.settled && r.queueEmpty),
      runs,
    });
  }
  return rows;
}

async function runRow(context, standIn, row, tag) {
  standIn.reset();
  const url = `${standIn.url}/bench.html?tenant=bench-${tag}&rate=${RATE.ratePerSecond}&burst=${RATE.burst}`;
  const env = { context, standIn, url, tag, pages: [] };
  const tracked = await row.run(env);
  // flush() now and then: it retries network failures at once (it never cuts a 429 pause or a 5xx backoff).
  const flushAll = () =>
    Promise.all(
      env.pages.filter((p) => !p.isClosed()).map((p) => p.evaluate(() => void window.bench?.flush()).catch(() => {})),
    );
  await flushAll();
  const settled = await waitFor(() => [...tracked].every((id) => receivedFor(standIn.state(), tag).received.has(id)), {
    timeout: SETTLE_TIMEOUT_MS,
    interval: 250,
    tick: { every: 3000, run: flushAll },
  });
  // Then until the queue is empty: a page may still resend what arrived without it knowing (a reload's keepalive
  // rescue), and those repeats belong in the duplicates column.
  const queueEmpty = await waitFor(
    async () => {
      const open = env.pages.filter((p) => !p.isClosed());
      const queued = await Promise.all(
        open.map((p) => p.evaluate(() => window.bench.status().then((s) => s.queued)).catch(() => -1)),
      );
      return queued.every((q) => q === 0);
    },
    { timeout: SETTLE_TIMEOUT_MS, interval: 500, tick: { every: 3000, run: flushAll } },
  );
  const state = standIn.state();
  const got = receivedFor(state, tag);
  const lost = [...tracked].filter((id) => !got.received.has(id));
  return {
    row: row.name,
    tracked: tracked.size,
    received: got.received.size,
    duplicates: got.duplicates,
    lost: lost.length,
    lostIds: lost.slice(0, 10),
    requests: got.requests + droppedUnread(state),
    rejected: got.rejected,
    statusCounts: countStatuses(state),
    peakPerSecond: peakPerSecond(state),
    settled,
    queueEmpty,
  };
}

/** Tracks a batch while the stand-in fails one way, then lets it recover after `ms`. */
function faultSpell(fault, ms) {
  return async ({ context, standIn, url, tag, pages }) => {
    const page = await openBenchPage(context, url);
    pages.push(page);
    standIn.setFault(fault);
    const recover = sleep(ms).then(() => standIn.setFault({ mode: 'ok' }));
    const burst = await page.evaluate(([n, t]) => window.trackBurst(window.bench, n, t), [EVENTS, tag]);
    await recover;
    return new Set(burst.ids);
  };
}

/** Tracks a batch, waits until about a third has arrived, then does something to the tab mid-drain. */
function interrupted(action) {
  return async (env) => {
    const page = await openBenchPage(env.context, env.url);
    env.pages.push(page);
    const burst = await page.evaluate(([n, t]) => window.trackBurst(window.bench, n, t), [EVENTS, env.tag]);
    await waitFor(() => receivedFor(env.standIn.state(), env.tag).received.size >= EVENTS / 3, {
      timeout: 30_000,
      interval: 50,
    });
    await action(page, env);
    return new Set(burst.ids);
  };
}

async function closeAndReopen(page, env) {
  await page.close();
  await sleep(500);
  env.pages.push(await openBenchPage(env.context, env.url));
}

async function threeTabs(env) {
  const pages = await Promise.all([0, 1, 2].map(() => openBenchPage(env.context, env.url)));
  env.pages.push(...pages);
  const per = Math.ceil(EVENTS / 2); // 150 in all
  const bursts = await Promise.all(
    pages.map((page, i) =>
      page.evaluate(([n, t, from]) => window.trackBurst(window.bench, n, t, from), [per, env.tag, i * per]),
    ),
  );
  return new Set(bursts.flatMap((burst) => burst.ids));
}

function countStatuses(state) {
  const counts = {};
  for (const request of state.requests) counts[request.status] = (counts[request.status] ?? 0) + 1;
  return counts;
}
