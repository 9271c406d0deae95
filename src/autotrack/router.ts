/** Quiet time after the last DOM change before a navigation counts as settled, and the longest wait. */
const QUIET_MS = 60;
const MAX_WAIT_MS = 1500;
const PATCHED = '__wizKlaviyoPatched';

type HistoryMethod = History['pushState'] & { [PATCHED]?: true };

/**
 * Calls `onPageView` after every SPA navigation to a new URL, once the new DOM is in place. Same-URL pushes and
 * replaceState during hydration change nothing and are ignored. Returns the function that stops watching.
 */
export function watchNavigation(win: Window & typeof globalThis, onPageView: () => void): () => void {
  let lastUrl = win.location.href;
  let cancelSettle: (() => void) | undefined;
  const changed = () => {
    const url = win.location.href;
    if (url === lastUrl) return;
    lastUrl = url;
    cancelSettle?.();
    cancelSettle = afterSettle(win, onPageView);
  };

  const cleanups: Array<() => void> = [];
  const navigation = (win as { navigation?: EventTarget }).navigation;
  if (navigation && typeof navigation.addEventListener === 'function') {
    // The Navigation API reports pushState, replaceState and traversals alike.
    navigation.addEventListener('currententrychange', changed);
    cleanups.push(() => navigation.removeEventListener('currententrychange', changed));
  } else {
    cleanups.push(patchHistory(win.history, 'pushState', changed), patchHistory(win.history, 'replaceState', changed));
  }
  win.addEventListener('popstate', changed);
  win.addEventListener('hashchange', changed);
  cleanups.push(() => {
    win.removeEventListener('popstate', changed);
    win.removeEventListener('hashchange', changed);
    cancelSettle?.();
  });
  return () => cleanups.forEach((cleanup) => cleanup());
}

/** Wraps history.pushState/replaceState to hear SPA navigations; the router's own call always runs first. */
function patchHistory(history: History, name: 'pushState' | 'replaceState', changed: () => void): () => void {
  const original = history[name] as HistoryMethod;
  const wrapped: HistoryMethod = function (this: History, ...args: Parameters<History['pushState']>) {
    const result = original.apply(this, args);
    try {
      changed();
    } catch {
      // never break the storefront's router
    }
    return result;
  };
  wrapped[PATCHED] = true;
  history[name] = wrapped;
  return () => {
    if (history[name] === wrapped) history[name] = original;
  };
}

/** Runs `fn` once the DOM has been quiet for a moment (the new view is rendered), or after the longest wait. */
function afterSettle(win: Window & typeof globalThis, fn: () => void): () => void {
  let quiet: ReturnType<typeof setTimeout> | undefined;
  const done = () => {
    cancel();
    fn();
  };
  const observer = new win.MutationObserver(() => {
    clearTimeout(quiet);
    quiet = setTimeout(done, QUIET_MS);
  });
  observer.observe(win.document.documentElement, { childList: true, subtree: true, characterData: true });
  quiet = setTimeout(done, QUIET_MS);
  const longest = setTimeout(done, MAX_WAIT_MS);
  function cancel() {
    observer.disconnect();
    clearTimeout(quiet);
    clearTimeout(longest);
  }
  return cancel;
}
