// A small history router: same-origin links under /spa/ are followed with pushState, back and forward with popstate.
// The view is rendered synchronously right after pushState, so the new DOM is in place when wiz-klaviyo re-scans
// the page (it waits for the navigation to settle).
const APP_ROOT = '/spa';
let table = [];
let show = () => {};

export const isAppPath = (pathname) => pathname === APP_ROOT || pathname.startsWith(`${APP_ROOT}/`);

/** routes: [RegExp on the path, view]; render(view | null, { params, query, push }) shows it. */
export function startRouter(routes, render) {
  table = routes;
  show = render;
  window.addEventListener('popstate', () => resolve(false));
  document.addEventListener('click', followLink);
  resolve(false);
}

export function navigate(url, { replace = false } = {}) {
  const target = new URL(url, location.href);
  const next = target.pathname + target.search;
  if (next !== location.pathname + location.search) history[replace ? 'replaceState' : 'pushState'](null, '', next);
  resolve(true);
}

function resolve(push) {
  const query = new URLSearchParams(location.search);
  for (const [pattern, view] of table) {
    const match = pattern.exec(location.pathname);
    if (match) return show(view, { params: match.slice(1).map(decodeURIComponent), query, push });
  }
  return show(null, { params: [], query, push });
}

function followLink(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
    return;
  const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
  if (!link || link.target || link.hasAttribute('download')) return;
  const url = new URL(link.href);
  if (url.origin !== location.origin || !isAppPath(url.pathname)) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
}
