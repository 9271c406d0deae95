// What the SDK costs the storefront's main thread in headless Chromium: script evaluation and init, 1,000 track()
// calls in a loop, long tasks in each phase, and JS heap growth (after a forced GC) from the burst.
import { RUNS, receivedFor, repeat, summarize, waitFor, withContext } from './lib.mjs';

const EVENTS = 1000;
// The burst goes to a second tenant made with createInstance at 100/s so its drain (the third phase) takes ~10 s
// instead of the ~100 s the default 10/s would; the cost of a track() call does not depend on the rate.
const BURST_DELIVERY = { ratePerSecond: 100, burst: 100 };

export async function measureMainThread(browser, standIn) {
  const runs = await repeat(RUNS, () => withContext(browser, (context) => oneRun(context, standIn)));
  const pick = (fn) => summarize(runs.map(fn));
  return {
    longTasksSupported: runs.every((run) => run.longTasksSupported),
    evalMs: pick((r) => r.init.evalMs),
    evalCpuMs: pick((r) => r.init.evalCpuMs),
    compileMs: pick((r) => r.init.compileMs),
    readyMs: pick((r) => r.init.readyMs),
    issueUsPerCall: pick((r) => (r.burst.issueMs * 1000) / EVENTS),
    resolveUsPerCall: pick((r) => (r.burst.resolveMs * 1000) / EVENTS),
    burstIssueMs: pick((r) => r.burst.issueMs),
    burstResolveMs: pick((r) => r.burst.resolveMs),
    burstCpuMs: pick((r) => r.burst.cpuMs),
    drainCpuMs: pick((r) => r.drainCpuMs),
    longTasks: Object.fromEntries(
      ['init', 'burst', 'drain'].map((phase) => [
        phase,
        { count: pick((r) => r.longTasks[phase].count), maxMs: pick((r) => r.longTasks[phase].maxMs) },
      ]),
    ),
    heapAfterBurstKB: pick((r) => r.heap.afterBurst / 1024),
    heapAfterDrainKB: pick((r) => r.heap.afterDrain / 1024),
    heapBaselineKB: pick((r) => r.heap.baseline / 1024),
    drained: runs.every((r) => r.drained),
  };
}

async function oneRun(context, standIn) {
  standIn.reset();
  const page = await context.newPage();
  await page.goto(`${standIn.url}/main-thread.html`);
  const cdp = await context.newCDPSession(page);
  const gcWindows = [];
  // Heap in use after a full GC; the GC's own time is remembered so a long task it causes is not blamed on the SDK.
  async function heapAfterGc() {
    const before = await page.evaluate(() => performance.now());
    await cdp.send('HeapProfiler.collectGarbage');
    const after = await page.evaluate(() => performance.now());
    gcWindows.push([before, after]);
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  }

  const origin = standIn.url;
  await page.evaluate((attributes) => window.prepareSdk(attributes), {
    'data-site-key': 'AbC123',
    'data-tenant': 'bench-init',
    'data-endpoint': origin,
    'data-onsite-host': origin,
    'data-guest-events': 'send',
  });
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const cpu0 = await mainThreadCpu(cdp);
  const inserted = await page.evaluate(() => window.insertSdk());
  const cpu1 = await mainThreadCpu(cdp);
  const ready = await page.evaluate(() => window.sdkReady('bench-init'));
  const init = { ...inserted, ...ready, evalCpuMs: cpu1.thread - cpu0.thread, compileMs: cpu1.compile - cpu0.compile };
  // The burst tenant, made and warmed up (its IndexedDB opened) before the baseline, so the baseline holds it.
  await page.evaluate((delivery) => {
    window.bench = window.wizKlaviyo.createInstance({
      siteKey: 'AbC123',
      tenant: 'bench-main',
      endpoint: location.origin,
      onsiteHost: location.origin,
      guestEvents: 'send',
      delivery,
    });
    return window.bench.track('Viewed Product', { ProductID: 'warm-up', bench: 'warm-up' });
  }, BURST_DELIVERY);
  await waitFor(() => standIn.state().events.length >= 2, { timeout: 10_000 });
  const baseline = await heapAfterGc();

  const cpu2 = await mainThreadCpu(cdp);
  const burst = await page.evaluate((n) => window.trackBurst(window.bench, n, 'main-thread'), EVENTS);
  const cpu3 = await mainThreadCpu(cdp);
  const afterBurst = await heapAfterGc();
  const cpu4 = await mainThreadCpu(cdp);

  const drained = await waitFor(() => receivedFor(standIn.state(), 'main-thread').received.size >= EVENTS, {
    timeout: 120_000,
    interval: 250,
  });
  const cpu5 = await mainThreadCpu(cdp);
  const { arrivals } = receivedFor(standIn.state(), 'main-thread');
  const timeOrigin = await page.evaluate(() => performance.timeOrigin);
  const drainEnd = Math.max(...arrivals) - timeOrigin;
  // Let a long task that ended with the last send be reported before reading them.
  await page.waitForTimeout(200);
  const afterDrain = await heapAfterGc();

  const { tasks, supported } = await page.evaluate(() => ({
    tasks: window.__longTasks,
    supported: window.__longTasksSupported,
  }));
  const inGc = (task) => gcWindows.some(([from, to]) => task.start < to && task.start + task.duration > from);
  const phase = (from, to) => {
    const hits = tasks.filter((task) => !inGc(task) && task.start + task.duration > from && task.start < to);
    return { count: hits.length, maxMs: hits.reduce((max, task) => Math.max(max, task.duration), 0) };
  };
  await cdp.detach();
  return {
    init,
    burst: {
      issueMs: burst.issueMs,
      resolveMs: burst.resolveMs,
      stored: burst.ids.length,
      cpuMs: cpu3.thread - cpu2.thread,
    },
    drainCpuMs: cpu5.thread - cpu4.thread,
    longTasksSupported: supported,
    longTasks: {
      init: phase(init.start, init.end),
      burst: phase(burst.start, burst.end),
      drain: phase(burst.end, drainEnd),
    },
    heap: { baseline, afterBurst: afterBurst - baseline, afterDrain: afterDrain - baseline },
    drained,
  };
}

/**
 * Main-thread CPU time so far (ms), from the renderer's own counters in thread ticks: unlike wall time it does not
 * grow when other processes compete for the cores, so it is the steadier figure on a busy machine.
 */
async function mainThreadCpu(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name) => (metrics.find((m) => m.name === name)?.value ?? NaN) * 1000;
  return { thread: get('ThreadTime'), compile: get('V8CompileDuration') };
}
