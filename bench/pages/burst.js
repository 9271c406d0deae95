// Tracks n events in one loop, as a storefront burst would, on the given SDK instance. Resolves with the time
// the loop started (epoch ms, to compare with the stand-in's clock), how long issuing and resolving took, and the
// unique_ids that were stored.
window.trackBurst = async function trackBurst(instance, n, tag, from) {
  from = from || 0;
  const startedAt = Date.now();
  const t0 = performance.now();
  const pending = [];
  for (let i = 0; i < n; i++) {
    pending.push(
      instance.track('Viewed Product', {
        ProductID: 'p' + (from + i),
        ProductName: 'Bench shirt',
        bench: tag,
        n: from + i,
      }),
    );
  }
  const t1 = performance.now();
  const results = await Promise.all(pending);
  const t2 = performance.now();
  return {
    startedAt,
    start: t0,
    end: t2,
    issueMs: t1 - t0,
    resolveMs: t2 - t0,
    ids: results.filter((r) => r.ok).map((r) => r.uniqueId),
    refused: results.filter((r) => !r.ok).map((r) => r.error.code),
  };
};
