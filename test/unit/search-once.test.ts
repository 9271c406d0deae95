import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAutotrack, type Autotrack } from '../../src/autotrack/index';
import { createTestClient } from '../support/harness';

/** A real instance (auto-tracking asks its gate) whose calls only record what auto-tracking asks of them. */
function recordingSdk() {
  const searches: unknown[][] = [];
  const amends: unknown[][] = [];
  const { client: sdk } = createTestClient();
  Object.assign(sdk, {
    searchedSite: async (...args: unknown[]) => (searches.push(args), { ok: true as const, uniqueId: 'x' }),
    amend: async (...args: unknown[]) => (amends.push(args), true),
  });
  return { sdk, searches, amends };
}

/** A page with the header search form holding `term`, and, on a results page, the results section. */
function renderPage(
  path: string,
  { term = '', results }: { term?: string; results?: Record<string, string> } = {},
): HTMLFormElement {
  history.replaceState({}, '', path);
  const form = document.createElement('form');
  form.setAttribute('role', 'search');
  const input = document.createElement('input');
  input.type = 'search';
  input.name = 'q';
  input.value = term;
  form.append(input);
  const section = document.createElement('section');
  if (results)
    for (const [name, value] of Object.entries({ 'data-wk-search-results': '', ...results }))
      section.setAttribute(name, value);
  document.body.replaceChildren(form, ...(results ? [section] : []));
  return form;
}

const submit = (form: HTMLFormElement) => form.dispatchEvent(new Event('submit', { cancelable: true }));

let autotrack: Autotrack | undefined;
beforeEach(() => sessionStorage.clear());
afterEach(() => {
  autotrack?.stop();
  history.replaceState({}, '', '/');
});

describe('Searched Site from a search form and its results page', () => {
  it('records the submit with its own unique_id, waiting for detail; the results page amends the count into it', async () => {
    const { sdk, searches, amends } = recordingSdk();
    autotrack = startAutotrack(sdk);
    submit(renderPage('/shirts/', { term: ' linen ' }));
    expect(searches).toHaveLength(1);
    const [term, count, options] = searches[0] as [string, unknown, { uniqueId: string; awaitDetailMs: number }];
    expect([term, count]).toEqual(['linen', undefined]);
    expect(options.uniqueId).toMatch(/^[0-9a-f-]{36}$/);
    expect(options.awaitDetailMs).toBeGreaterThan(0);
    autotrack.stop();

    // The results page, the next page load of the same tab (sessionStorage kept).
    renderPage('/search/?q=linen', { results: { 'data-wk-result-count': '3' } });
    autotrack = startAutotrack(sdk);
    expect(amends).toEqual([[options.uniqueId, { SearchTerm: 'linen', ReturnedResults: 3 }]]);
    expect(searches).toHaveLength(1);
  });

  it('makes the submitted search due when its results page states no count, without claiming 0 results', () => {
    const { sdk, searches, amends } = recordingSdk();
    autotrack = startAutotrack(sdk);
    submit(renderPage('/', { term: 'linen' }));
    const { uniqueId } = searches[0][2] as { uniqueId: string };
    autotrack.stop();

    renderPage('/search/?q=linen', { results: {} });
    autotrack = startAutotrack(sdk);
    expect(amends).toEqual([[uniqueId, { SearchTerm: 'linen' }]]);
    expect(searches).toHaveLength(1);
  });

  it('records a direct landing on a results page that states no count with the term alone', () => {
    const { sdk, searches, amends } = recordingSdk();
    renderPage('/search/?q=linen', { results: {} });
    autotrack = startAutotrack(sdk);
    expect(searches).toEqual([['linen', undefined]]);
    expect(amends).toEqual([]);
  });
});
