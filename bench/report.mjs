// Turns the measurements into the printed tables. Figures are "median (min–max)" over the runs.
import { fmtStat, table } from './lib.mjs';

const n = (value) => Math.round(value).toLocaleString('en-US');

export function sizeTable(size) {
  const row = (name, s) => {
    const over = s.gzip - s.target;
    const verdict = over > 0 ? `over by ${n(over)} B (${(s.gzip / s.target).toFixed(2)}×)` : `under by ${n(-over)} B`;
    return [name, n(s.minified), n(s.gzip), n(s.brotli), `< ${n(s.target)}`, verdict];
  };
  return table(
    ['artefact', 'minified B', 'gzip B', 'brotli B', 'target gzip B', 'vs target'],
    [
      row('script tag, first file (wiz-klaviyo.iife.js)', size.iife),
      row('script tag, all three files', size.scriptTagAll),
      row('ESM, createWizKlaviyo + track only', size.coreEsm),
    ],
  );
}

export function mainThreadTable(m) {
  const tasks = (phase) =>
    `${fmtStat(m.longTasks[phase].count, 0)} tasks, longest ${fmtStat(m.longTasks[phase].maxMs, 0)} ms`;
  return table(
    ['figure', 'median (min–max)'],
    [
      ['script eval + synchronous init (all three files), wall', `${fmtStat(m.evalMs)} ms`],
      ['  same, main-thread CPU', `${fmtStat(m.evalCpuMs)} ms`],
      ['  of which V8 compile', `${fmtStat(m.compileMs)} ms`],
      ['insert → first event stored (ready)', `${fmtStat(m.readyMs)} ms`],
      ['1,000 track(): issue the loop', `${fmtStat(m.issueUsPerCall, 2)} µs/call`],
      ['1,000 track(): until all resolved', `${fmtStat(m.resolveUsPerCall, 0)} µs/call`],
      ['main-thread CPU, burst', `${fmtStat(m.burstCpuMs, 0)} ms`],
      [
        'main-thread CPU, drain of 1,000',
        `${fmtStat(m.drainCpuMs, 0)} ms (${(m.drainCpuMs.median / 1000).toFixed(2)} ms/event)`,
      ],
      ['long tasks > 50 ms, init', tasks('init')],
      ['long tasks > 50 ms, burst', tasks('burst')],
      ['long tasks > 50 ms, drain', tasks('drain')],
      ['JS heap growth after burst (after GC)', `${fmtStat(m.heapAfterBurstKB, 0)} KB`],
      ['JS heap growth after drain (after GC)', `${fmtStat(m.heapAfterDrainKB, 0)} KB`],
    ],
  );
}

export function deliveryTable(d) {
  const limit = `${d.configured.ratePerSecond}/s, burst ${d.configured.burst}, concurrency ${d.concurrency}`;
  return table(
    ['figure', 'median (min–max)'],
    [
      ['configured limit', limit],
      [`burst: first track() → all ${n(d.events)} received`, `${fmtStat(d.burst.allReceivedMs, 0)} ms`],
      ['burst: requests per event', fmtStat(d.burst.requestsPerEvent, 2)],
      ['burst: achieved rate, overall (incl. burst)', `${fmtStat(d.burst.overallRate)} ev/s`],
      ['burst: achieved rate, steady (2nd half)', `${fmtStat(d.burst.steadyRate)} ev/s`],
      ['burst: most events over bucket bound', fmtStat(d.burst.maxOverBucket)],
      [`offline: restore + flush() → all ${n(d.events)} received`, `${fmtStat(d.offline.drainMs, 0)} ms`],
      ['offline: attempts while down (3 s)', fmtStat(d.offline.attemptsWhileDown, 0)],
      ['offline: requests per event after restore', fmtStat(d.offline.requestsPerEvent, 2)],
      ['offline: achieved rate, overall (incl. burst)', `${fmtStat(d.offline.overallRate)} ev/s`],
      ['offline: achieved rate, steady (2nd half)', `${fmtStat(d.offline.steadyRate)} ev/s`],
      ['offline: most events over bucket bound', fmtStat(d.offline.maxOverBucket)],
    ],
  );
}

export function faultTable(rows) {
  return table(
    ['fault row', 'tracked', 'distinct received', 'duplicates', 'lost (worst run)', 'requests', 'peak req/s'],
    rows.map((r) => [
      r.row + (r.settled ? '' : ' (timed out)'),
      r.tracked.median,
      fmtStat(r.received, 0),
      fmtStat(r.duplicates, 0),
      r.lost.max,
      fmtStat(r.requests, 0),
      fmtStat(r.peakPerSecond, 0),
    ]),
  );
}
