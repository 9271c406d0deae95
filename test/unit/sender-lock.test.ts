import { describe, expect, it } from 'vitest';
import { leaseLock, webLock } from '../../src/delivery/sender-lock';
import { memoryStorage } from '../../src/storage';
import { createLocks } from '../support/harness';
import { createManualClock } from '../support/manual-clock';

const TTL = 15_000;

/** Two tabs' lease locks on one shared store and one clock. */
function twoTabs() {
  const meta = memoryStorage()('wiz-klaviyo:AbC123:meta');
  const clock = createManualClock();
  return { clock, a: leaseLock(meta, 'tab-a', clock, TTL), b: leaseLock(meta, 'tab-b', clock, TTL) };
}

/** A pass that stays inside the lock until the test lets it go; a tab that never lets go has died. */
function openPass() {
  let release = () => {};
  let renewLease: () => Promise<boolean> = async () => false;
  let enter = () => {};
  const entered = new Promise<void>((resolve) => (enter = resolve));
  return {
    pass(renew: () => Promise<boolean>): Promise<void> {
      renewLease = renew;
      enter();
      return new Promise<void>((done) => (release = done));
    },
    entered,
    release: () => release(),
    renew: () => renewLease(),
  };
}

describe('leaseLock', () => {
  it('runs the pass and reports that it ran', async () => {
    const { a } = twoTabs();
    let ran = false;
    expect(await a.run(async () => void (ran = true))).toBe(true);
    expect(ran).toBe(true);
  });

  it('does not let a second owner run while the first is running', async () => {
    const { a, b } = twoTabs();
    const held = openPass();
    const first = a.run(held.pass);
    await held.entered;
    let secondRan = false;
    expect(await b.run(async () => void (secondRan = true))).toBe(false);
    expect(secondRan).toBe(false);
    held.release();
    expect(await first).toBe(true);
  });

  it('lets the second owner run once the first has finished', async () => {
    const { a, b } = twoTabs();
    await a.run(async () => undefined);
    let secondRan = false;
    expect(await b.run(async () => void (secondRan = true))).toBe(true);
    expect(secondRan).toBe(true);
  });

  it('frees the lease when the pass throws, and passes the error on', async () => {
    const { a, b } = twoTabs();
    await expect(a.run(async () => Promise.reject(new Error('storage broke')))).rejects.toThrow('storage broke');
    expect(await b.run(async () => undefined)).toBe(true);
  });

  it("takes over a dead owner's lease after the TTL, not before", async () => {
    const { clock, a, b } = twoTabs();
    const crashed = openPass(); // never released: the tab died inside its pass
    void a.run(crashed.pass);
    await crashed.entered;
    clock.advance(TTL - 1);
    expect(await b.run(async () => undefined)).toBe(false);
    clock.advance(1);
    let tookOver = false;
    expect(await b.run(async () => void (tookOver = true))).toBe(true);
    expect(tookOver).toBe(true);
  });

  it('tells an owner whose lease was taken over to stop when it renews', async () => {
    const { clock, a, b } = twoTabs();
    const slow = openPass();
    void a.run(slow.pass);
    await slow.entered;
    clock.advance(TTL);
    const other = openPass();
    void b.run(other.pass);
    await other.entered;
    expect(await slow.renew()).toBe(false);
    expect(await other.renew()).toBe(true);
  });

  it('keeps the lease for as long as the owner renews it', async () => {
    const { clock, a, b } = twoTabs();
    const busy = openPass();
    void a.run(busy.pass);
    await busy.entered;
    for (let i = 0; i < 4; i++) {
      clock.advance(TTL - 1000);
      expect(await busy.renew()).toBe(true);
      expect(await b.run(async () => undefined)).toBe(false);
    }
  });
});

describe('webLock', () => {
  it('runs passes of two owners one after the other, never together', async () => {
    const locks = createLocks();
    const a = webLock(locks, 'wiz-klaviyo:AbC123:sender');
    const b = webLock(locks, 'wiz-klaviyo:AbC123:sender');
    const log: string[] = [];
    const held = openPass();
    const first = a.run(async (renew) => {
      log.push('a in');
      await held.pass(renew);
      log.push('a out');
    });
    await held.entered;
    const second = b.run(async () => void log.push('b in'));
    held.release();
    expect(await Promise.all([first, second])).toEqual([true, true]);
    expect(log).toEqual(['a in', 'a out', 'b in']);
  });
});
