// The filter state read from and written to the current URL ($app glue around filters.ts).
import { goto } from '$app/navigation';
import { page } from '$app/state';
import { decodeFilters, queryString, reportParams, withFilters, type FilterState } from './filters';
import { session } from './session.svelte';

export function currentFilters(): FilterState {
  return decodeFilters(page.url.searchParams);
}

/** The report parameters for the current URL (all filters; the API client keeps the declared ones). */
export function currentReportParams(overrides: Record<string, string> = {}): Record<string, string> {
  return { ...reportParams(currentFilters(), session.referenceDate), ...overrides };
}

export function applyFilters(state: FilterState): Promise<void> {
  const query = withFilters(page.url.searchParams, state);
  return goto(`${page.url.pathname}${queryString(query)}`, { keepFocus: true, noScroll: true });
}

/** Sets (or, with null, removes) page-specific query keys, keeping the filters. */
export function setPageParams(patch: Record<string, string | null>, options: { replace?: boolean } = {}): Promise<void> {
  const query = new URLSearchParams(page.url.searchParams);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === '') query.delete(key);
    else query.set(key, value);
  }
  return goto(`${page.url.pathname}${queryString(query)}`, { keepFocus: true, noScroll: true, replaceState: options.replace ?? false });
}
