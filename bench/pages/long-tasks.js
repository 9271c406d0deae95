// Records every long task (> 50 ms on the main thread) from the start of the page; the runner sorts them into
// init, burst and drain by time.
window.__longTasks = [];
try {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  window.__longTasksSupported = true;
} catch {
  window.__longTasksSupported = false;
}
