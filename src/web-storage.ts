/**
 * Web Storage (localStorage, sessionStorage) in one place. It throws where the page may not use it (privacy modes,
 * sandboxed frames), when it is full, or when a page has replaced it; none of that may reach the host page. So here
 * a failed read is "nothing stored", and a failed write or remove is skipped: callers keep their in-page memory.
 */

/** The key of one thing the SDK keeps for a tenant, so two storefronts (or SDK instances) on one origin stay apart. */
export function storageKey(tenant: string, name: string): string {
  return `wiz-klaviyo:${tenant}:${name}`;
}

/** `window.localStorage` or `window.sessionStorage`; undefined where there is none or merely reading it throws. */
export function browserStorage(kind: 'localStorage' | 'sessionStorage'): Storage | undefined {
  try {
    return (globalThis as Partial<Record<typeof kind, Storage>>)[kind] ?? undefined;
  } catch {
    return undefined;
  }
}

export function readItem(storage: Storage | undefined, key: string): string | undefined {
  try {
    return storage?.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

export function writeItem(storage: Storage | undefined, key: string, value: string): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // full or off: see above
  }
}

export function removeItem(storage: Storage | undefined, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    // off: nothing was kept either
  }
}

/** What `writeJson` kept under `key`; undefined when nothing is there or it is not JSON (tampered, cut short). */
export function readJson(storage: Storage | undefined, key: string): unknown {
  const stored = readItem(storage, key);
  try {
    return stored === undefined ? undefined : JSON.parse(stored);
  } catch {
    return undefined;
  }
}

/** Keeps `value` as JSON; one that cannot be (a cycle, a BigInt from storefront data) is skipped like a full storage. */
export function writeJson(storage: Storage | undefined, key: string, value: unknown): void {
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    return;
  }
  writeItem(storage, key, json);
}
