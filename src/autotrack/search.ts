import { searchedSite } from '../events/catalog.js';
import { randomUuid } from '../platform.js';
import { once } from './actions.js';
import { RECENT_MS, type AutotrackContext } from './context.js';

/** A search form submit marks its term with its event's unique_id, for the results page it leads to. */
const SEARCH_MARK = 'searched';
/**
 * How long the submit's Searched Site waits for the results page to add ReturnedResults before it is sent without
 * them. Waiting is the only way: Klaviyo keeps the first event per unique_id, so a later copy with the count is dropped.
 */
const RESULTS_WAIT_MS = 5000;

/**
 * Searched Site from a search form submit: stored at once (the submit navigates away), but held back for a moment so
 * the results page can add its count to this same event.
 */
export function searchSubmitted(ctx: AutotrackContext, term: string): void {
  const uniqueId = randomUuid();
  ctx.mark(`${SEARCH_MARK}:${term}`, uniqueId);
  void ctx.sdk.searchedSite(term, undefined, { uniqueId, awaitDetailMs: RESULTS_WAIT_MS });
}

/**
 * A results page for `term`: completes the Searched Site its search form submit recorded (the count, and it is due
 * now), or records one for a direct landing (a link, a bookmark). Once per page view.
 */
export function searchResultsShown(ctx: AutotrackContext, term: string, count: number | undefined): void {
  const submitted = ctx.markNote(`${SEARCH_MARK}:${term}`, RECENT_MS);
  once(ctx, `search:${term}`, () =>
    submitted
      ? ctx.sdk.amend(submitted, searchedSite(term, count).properties) // false once sent: it went without the count
      : ctx.sdk.searchedSite(term, count),
  );
}
