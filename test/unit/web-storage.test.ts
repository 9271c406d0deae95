import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  browserStorage,
  readItem,
  readJson,
  removeItem,
  storageKey,
  writeItem,
  writeJson,
} from '../../src/web-storage';

/** Storage as in a privacy mode or when full: every call throws. */
const throwing = (): Storage => {
  const fail = () => {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
  return { getItem: fail, setItem: fail, removeItem: fail, clear: fail, key: fail, length: 0 };
};

afterEach(() => {
  vi.restoreAllMocks();
  sessionStorage.clear();
});

describe('web storage', () => {
  it('names keys per tenant', () => {
    expect(storageKey('AbC123', 'cart')).toBe('wiz-klaviyo:AbC123:cart');
  });

  it('writes, reads and removes strings and JSON', () => {
    writeItem(sessionStorage, 'a', '1 note');
    writeJson(sessionStorage, 'b', { lines: [1] });
    expect(readItem(sessionStorage, 'a')).toBe('1 note');
    expect(readJson(sessionStorage, 'b')).toEqual({ lines: [1] });
    removeItem(sessionStorage, 'a');
    expect(readItem(sessionStorage, 'a')).toBeUndefined();
  });

  it('reads nothing where nothing is kept, storage is missing, or what is kept is not JSON', () => {
    expect(readItem(sessionStorage, 'none')).toBeUndefined();
    expect(readJson(sessionStorage, 'none')).toBeUndefined();
    expect(readItem(undefined, 'a')).toBeUndefined();
    sessionStorage.setItem('cut', '{"lines":[');
    expect(readJson(sessionStorage, 'cut')).toBeUndefined();
  });

  it('never throws when the storage does', () => {
    const storage = throwing();
    expect(readItem(storage, 'a')).toBeUndefined();
    expect(readJson(storage, 'a')).toBeUndefined();
    expect(() => writeItem(storage, 'a', 'x')).not.toThrow();
    expect(() => writeJson(storage, 'a', { x: 1 })).not.toThrow();
    expect(() => removeItem(storage, 'a')).not.toThrow();
  });

  it('skips a value that is not JSON-able instead of throwing', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => writeJson(sessionStorage, 'cycle', cycle)).not.toThrow();
    expect(() => writeJson(sessionStorage, 'big', { n: 1n })).not.toThrow();
    expect(sessionStorage.length).toBe(0);
  });

  it('finds the browser storages, and none where merely reading window.sessionStorage throws', () => {
    expect(browserStorage('sessionStorage')).toBe(sessionStorage);
    expect(browserStorage('localStorage')).toBe(localStorage);
    vi.spyOn(globalThis, 'sessionStorage', 'get').mockImplementation(() => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    });
    expect(browserStorage('sessionStorage')).toBeUndefined();
  });
});
