// Shared pieces of the benchmark: Chromium, the stand-in, repeated runs, statistics, what the stand-in received,
// and plain-text tables. Nothing here measures anything by itself.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../scripts/chromium.mjs';
import { startStandIn } from '../examples/stand-in/server.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Timing figures are medians of this many runs (never fewer than 3). */
export const RUNS = Math.max(3, Number(process.env.BENCH_RUNS) || 3);
export { launchChromium };

/** The Klaviyo stand-in, also serving the built SDK (/dist/) and the bench pages (/). */
export function startBenchStandIn() {
  return startStandIn({
    staticRoutes: { '/dist/': path.join(ROOT, 'dist'), '/': path.join(ROOT, 'bench', 'pages') },
  });
}

/** A fresh browser context per run: its own IndexedDB and Web Locks, so runs cannot leak into each other. */
export async function withContext(browser, fn) {
  const context = await browser.newContext();
  try {
    return await fn(context);
  } finally {
    await context.close();
  }
}

/** Opens a bench page and waits until its SDK instance exists. */
export async function openBenchPage(context, url) {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.bench !== undefined);
  return page;
}

export async function repeat(runs, fn) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await fn(i));
  return results;
}

/** Median with min and max; the runs are kept for results.json. */
export function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: values };
}

export function round(value, digits = 1) {
  return Number.isFinite(value) ? Number(value.toFixed(digits)) : value;
}

/** "12.3 (11.0–14.2)": a median and its spread. */
export function fmtStat(stat, digits = 1) {
  if (!stat) return 'n/a';
  const f = (v) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));
  return `${f(stat.median)} (${f(stat.min)}–${f(stat.max)})`;
}

/** Polls until predicate() is truthy; resolves false on timeout instead of throwing, so a row can still print. */
export async function waitFor(predicate, { timeout = 60_000, interval = 200, tick } = {}) {
  const end = Date.now() + timeout;
  let lastTick = Date.now();
  while (Date.now() < end) {
    if (await predicate()) return true;
    if (tick && Date.now() - lastTick >= tick.every) {
      lastTick = Date.now();
      await tick.run();
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  return Boolean(await predicate());
}

/**
 * What the stand-in got for one tag (properties.bench): `received` are the unique_ids Klaviyo keeps, with when each
 * first arrived; `duplicates` counts requests the server processed for a unique_id it already had (the browser may
 * not have heard the first answer); `requests` counts every tagged request, failed ones included.
 */
export function receivedFor(state, tag) {
  const firstSeen = new Map();
  let duplicates = 0;
  let requests = 0;
  let rejected = 0;
  const arrivals = [];
  for (const request of state.requests) {
    const attributes = request.body?.data?.attributes;
    if (attributes?.properties?.bench !== tag) continue;
    requests++;
    if (request.status >= 400 && request.status < 500 && request.status !== 429 && request.status !== 408) rejected++;
    // 202, or 0 with a body: 'drop-after-read' stored it and then cut the connection.
    const processed = request.status === 202 || request.status === 0;
    if (!processed) continue;
    const at = Date.parse(request.receivedAt);
    if (firstSeen.has(attributes.unique_id)) duplicates++;
    else {
      firstSeen.set(attributes.unique_id, at);
      arrivals.push(at);
    }
  }
  const kept = state.events.filter((event) => event.properties?.bench === tag);
  return {
    received: new Set(kept.map((event) => event.uniqueId)),
    firstSeen,
    arrivals,
    duplicates,
    requests,
    rejected,
  };
}

/** Requests the stand-in saw without ever reading a body ('drop' faults): attempts that never reached Klaviyo. */
export function droppedUnread(state) {
  return state.requests.filter((request) => request.status === 0 && request.body === null).length;
}

/** A plain-text table with a header rule; a column of plain numbers is right-aligned. */
export function table(header, rows) {
  const cells = [header, ...rows].map((row) => row.map((cell) => String(cell)));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const numeric = header.map((_, i) => i > 0 && cells.slice(1).every((row) => /^-?[\d,.]+$/.test(row[i])));
  const line = (row) =>
    row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** Most API requests that arrived within any one second: compare with the configured rate + burst. */
export function peakPerSecond(state) {
  const times = state.requests.map((request) => Date.parse(request.receivedAt)).sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
