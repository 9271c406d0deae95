import type { KeyValueStore } from '../storage.js';

/** A tenant-wide pause after a 429, kept in storage so every tab and the next page load honour it too. */
export interface PauseState {
  read(): Promise<number>;
  pauseUntil(time: number): Promise<void>;
  /** The last value read or written, for status() without touching storage. */
  known(): number;
}

export function createPauseState(meta: KeyValueStore): PauseState {
  let until = 0;
  return {
    async read() {
      until = (await meta.get<number>('paused-until')) ?? 0;
      return until;
    },
    async pauseUntil(time) {
      until = Math.max(until, time);
      await meta.update<number>('paused-until', (old) => Math.max(old ?? 0, time));
    },
    known: () => until,
  };
}
