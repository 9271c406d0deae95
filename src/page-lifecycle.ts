import type { Platform } from './platform.js';

export interface LifecycleHandlers {
  /** The browser says the network is back. */
  online(): void;
  /** The tab was hidden: the last moment a mobile browser reliably runs our code. */
  hidden(): void;
  /** The page is being unloaded or put in the back-forward cache. */
  exit(): void;
  /** The page is frozen (a background tab the browser suspends): it runs nothing until it is resumed. */
  frozen(): void;
  /** The page is shown again from the back-forward cache, or resumed after being frozen. */
  back(): void;
}

/** Listens to the page events that trigger sending; returns the function that stops listening. */
export function watchPageLifecycle(platform: Platform, handlers: LifecycleHandlers): () => void {
  const { window: win, document: doc } = platform;
  const onVisibility = () => {
    if (doc?.visibilityState === 'hidden') handlers.hidden();
  };
  const onShow = (event: Event) => {
    if ((event as PageTransitionEvent).persisted) handlers.back();
  };
  win?.addEventListener('online', handlers.online);
  win?.addEventListener('pagehide', handlers.exit);
  win?.addEventListener('pageshow', onShow);
  doc?.addEventListener('visibilitychange', onVisibility);
  // Chromium's Page Lifecycle events (https://developer.chrome.com/docs/web-platform/page-lifecycle-api).
  doc?.addEventListener('freeze', handlers.frozen);
  doc?.addEventListener('resume', handlers.back);
  return () => {
    win?.removeEventListener('online', handlers.online);
    win?.removeEventListener('pagehide', handlers.exit);
    win?.removeEventListener('pageshow', onShow);
    doc?.removeEventListener('visibilitychange', onVisibility);
    doc?.removeEventListener('freeze', handlers.frozen);
    doc?.removeEventListener('resume', handlers.back);
  };
}
