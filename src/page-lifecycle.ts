import type { Platform } from './platform.js';

export interface LifecycleHandlers {
  /** The browser says the network is back. */
  online(): void;
  /** The tab was hidden: the last moment a mobile browser reliably runs our code. */
  hidden(): void;
  /** The page is being unloaded or put in the back-forward cache. */
  exit(): void;
}

/** Listens to the page events that trigger sending; returns the function that stops listening. */
export function watchPageLifecycle(platform: Platform, handlers: LifecycleHandlers): () => void {
  const { window: win, document: doc } = platform;
  const onVisibility = () => {
    if (doc?.visibilityState === 'hidden') handlers.hidden();
  };
  win?.addEventListener('online', handlers.online);
  win?.addEventListener('pagehide', handlers.exit);
  doc?.addEventListener('visibilitychange', onVisibility);
  return () => {
    win?.removeEventListener('online', handlers.online);
    win?.removeEventListener('pagehide', handlers.exit);
    doc?.removeEventListener('visibilitychange', onVisibility);
  };
}
