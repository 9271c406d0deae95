// `npm run bench` (after the build): measures size, main-thread cost, delivery and the fault matrix, prints the
// tables and writes bench/results.json. It reports figures; it never fails a run because of them.
import { execSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { measureDelivery } from './delivery.mjs';
import { FAULT_RATE, measureFaults } from './faults.mjs';
import { ROOT, RUNS, launchChromium, startBenchStandIn } from './lib.mjs';
import { measureMainThread } from './main-thread.mjs';
import { deliveryTable, faultTable, mainThreadTable, sizeTable } from './report.mjs';
import { measureSize } from '../scripts/size.mjs';

const startedAt = Date.now();
const loadBefore = os.loadavg();
const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(0)} s`;
const section = (title, body) => console.log(`\n${title}\n${body}`);

const size = await measureSize();
section('Size', sizeTable(size));

const browser = await launchChromium();
const chromiumVersion = browser.version();
const standIn = await startBenchStandIn();
let mainThread, delivery, faults;
try {
  console.log(`\n(${elapsed()}) main thread: ${RUNS} runs…`);
  mainThread = await measureMainThread(browser, standIn);
  section(`Main thread, headless Chromium (median (min–max) of ${RUNS} runs)`, mainThreadTable(mainThread));
  if (!mainThread.longTasksSupported) console.log('note: this Chromium did not report long tasks');

  console.log(`\n(${elapsed()}) delivery: ${RUNS} runs of each…`);
  delivery = await measureDelivery(browser, standIn);
  section(`Delivery to the stand-in (median (min–max) of ${RUNS} runs)`, deliveryTable(delivery));

  console.log(`\n(${elapsed()}) fault matrix…`);
  faults = await measureFaults(browser, standIn);
  section(
    `Fault matrix (median (min–max) of ${RUNS} runs per row; ${FAULT_RATE.ratePerSecond}/s, burst ${FAULT_RATE.burst}; lost must be 0)`,

    faultTable(faults),
  );
} finally {
  await browser.close();
  await standIn.close();
}

const environment = {
  date: new Date(startedAt).toISOString(),
  commit: git('git rev-parse --short HEAD'),
  workTreeDirty: git('git status --porcelain -- src') !== '',
  node: process.version,
  chromium: chromiumVersion,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  loadAverageBefore: loadBefore.map((l) => Number(l.toFixed(2))),
  loadAverageAfter: os.loadavg().map((l) => Number(l.toFixed(2))),
  runs: RUNS,
  durationS: Math.round((Date.now() - startedAt) / 1000),
};
await writeFile(
  path.join(ROOT, 'bench', 'results.json'),
  `${JSON.stringify({ environment, size, mainThread, delivery, faults }, null, 2)}\n`,
);
console.log(
  `\n${environment.cpus} × ${environment.cpuModel}, load ${environment.loadAverageBefore[0]} → ` +
    `${environment.loadAverageAfter[0]}, Node ${environment.node}, Chromium ${chromiumVersion}; ` +
    `took ${environment.durationS} s. Wrote bench/results.json.`,
);

function git(command) {
  try {
    return execSync(command, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}
