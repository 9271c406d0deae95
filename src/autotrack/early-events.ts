/** What auto-tracking listens to (src/autotrack/dom-listeners.ts): on the document, and on the window. */
export const DOCUMENT_EVENTS = ['click', 'submit', 'change'] as const;
export const WINDOW_EVENTS = [
  'wizshop:cart:add',
  'wizshop:cart:update',
  'wizshop:checkout:start',
  'wizshop:order:placed',
  'wizshop:customer:login',
  'wizshop:customer:signup',
] as const;

/** A shopper's add-to-cart click, login or storefront event is not lost in the moments before that code is here. */
const MOST = 200;

/**
 * Keeps the shopper events that happen before auto-tracking's code has arrived (the script tag's features file), for
 * it to handle in order when it starts. Nothing is read from them here: they are only held. `take()` ends the
 * buffering and hands them over.
 */
export function bufferShopperEvents(win: Window, doc: Document): () => Event[] {
  const events: Event[] = [];
  const keep = (event: Event) => void (events.length < MOST && events.push(event));
  for (const type of DOCUMENT_EVENTS) doc.addEventListener(type, keep, true);
  for (const type of WINDOW_EVENTS) win.addEventListener(type, keep, true);
  return () => {
    for (const type of DOCUMENT_EVENTS) doc.removeEventListener(type, keep, true);
    for (const type of WINDOW_EVENTS) win.removeEventListener(type, keep, true);
    return events.splice(0);
  };
}
