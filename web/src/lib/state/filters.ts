// The global filter state and its URL form. Pure: no $app imports, no DOM; the reference date
// ("today", or the dataset's as-of date) is passed in. A key is written to the query string only
// when it differs from the default, so the default view has a clean URL and a shared link
// reloads to the same view.
import { addDays, isIsoDate, type DateWindow } from './dates';

export const GRAINS = ['week', 'month', 'quarter', 'year'] as const;
export type Grain = (typeof GRAINS)[number];

export const GENDERS = ['male', 'female'] as const;
export type Gender = (typeof GENDERS)[number];

/** Rolling windows ending on the reference date. '90d' (a quarter) is the default. */
export const RANGE_PRESETS = {
  '30d': { days: 30, label: 'Last 30 days' },
  '90d': { days: 90, label: 'Last quarter (90 days)' },
  '365d': { days: 365, label: 'Last year (365 days)' },
} as const;
export type RangePreset = keyof typeof RANGE_PRESETS;
export type RangeChoice = RangePreset | 'custom';

export interface FilterState {
  range: RangeChoice;
  /** Only meaningful when range is 'custom'. */
  from: string | null;
  to: string | null;
  grain: Grain;
  /** Location grid id (any level; the server includes everything below it). */
  region: string | null;
  language: string | null;
  gender: Gender | null;
  source: string | null;
  campaign: string | null;
  /** Compare with the previous window of equal length. */
  compare: boolean;
}

export const DEFAULT_FILTERS: Readonly<FilterState> = Object.freeze({
  range: '90d',
  from: null,
  to: null,
  grain: 'month',
  region: null,
  language: null,
  gender: null,
  source: null,
  campaign: null,
  compare: false,
});

/** Every query-string key the filter state owns, in the order they are written. */
export const FILTER_KEYS = ['range', 'from', 'to', 'grain', 'region', 'language', 'gender', 'source', 'campaign', 'compare'] as const;

const TEXT_KEYS = ['language', 'source', 'campaign'] as const;
const MAX_TEXT = 200;

function isPreset(value: string | null): value is RangePreset {
  return value !== null && Object.hasOwn(RANGE_PRESETS, value);
}

function cleanText(value: string | null): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  // Same rule as the server: short plain strings only; anything else is dropped, not sent.
  if (trimmed === '' || trimmed.length > MAX_TEXT || /[\u0000-\u001f]/.test(trimmed)) return null;
  return trimmed;
}

/**
 * Reads the filter state from a query string. Invalid values fall back to their defaults rather
 * than failing: a hand-edited or stale link still opens a working view.
 */
export function decodeFilters(query: URLSearchParams): FilterState {
  const state: FilterState = { ...DEFAULT_FILTERS };

  const from = query.get('from');
  const to = query.get('to');
  const range = query.get('range');
  if (from && to && isIsoDate(from) && isIsoDate(to) && from <= to) {
    state.range = 'custom';
    state.from = from;
    state.to = to;
  } else if (isPreset(range)) {
    state.range = range;
  }

  const grain = query.get('grain');
  if (grain && (GRAINS as readonly string[]).includes(grain)) state.grain = grain as Grain;

  const region = query.get('region');
  if (region && /^\d{1,18}$/.test(region)) state.region = region;

  const gender = query.get('gender');
  if (gender && (GENDERS as readonly string[]).includes(gender)) state.gender = gender as Gender;

  for (const key of TEXT_KEYS) state[key] = cleanText(query.get(key));

  state.compare = query.get('compare') === 'previous';
  return state;
}

/** The query-string pairs for a state: only keys that differ from the default, in a fixed order. */
export function encodeFilters(state: FilterState): URLSearchParams {
  const out = new URLSearchParams();
  if (state.range === 'custom' && state.from && state.to) {
    out.set('from', state.from);
    out.set('to', state.to);
  } else if (state.range !== 'custom' && state.range !== DEFAULT_FILTERS.range) {
    out.set('range', state.range);
  }
  if (state.grain !== DEFAULT_FILTERS.grain) out.set('grain', state.grain);
  if (state.region) out.set('region', state.region);
  if (state.language) out.set('language', state.language);
  if (state.gender) out.set('gender', state.gender);
  if (state.source) out.set('source', state.source);
  if (state.campaign) out.set('campaign', state.campaign);
  if (state.compare) out.set('compare', 'previous');
  return out;
}

/**
 * A new query string for `state` that keeps every key the filters do not own (a page's own state,
 * e.g. the contact whose matches are shown), so changing a filter never loses it.
 */
export function withFilters(current: URLSearchParams, state: FilterState): URLSearchParams {
  const out = encodeFilters(state);
  const owned = new Set<string>(FILTER_KEYS);
  for (const [key, value] of current) if (!owned.has(key)) out.append(key, value);
  return out;
}

/** '?a=b' or '' (so a default view's link is just its path). */
export function queryString(query: URLSearchParams): string {
  const text = query.toString();
  return text ? `?${text}` : '';
}

export function isDefaultFilters(state: FilterState): boolean {
  return encodeFilters(state).toString() === '';
}

/** The concrete window: a preset ends on `referenceDate` (today or the dataset's as-of date). */
export function resolveWindow(state: FilterState, referenceDate: string): DateWindow {
  if (state.range === 'custom' && state.from && state.to) return { from: state.from, to: state.to };
  const preset = state.range === 'custom' ? DEFAULT_FILTERS.range : state.range;
  const days = RANGE_PRESETS[preset as RangePreset].days;
  return { from: addDays(referenceDate, -(days - 1)), to: referenceDate };
}

/**
 * The API parameters for the state. All of them are produced; the API client drops the ones a
 * report does not declare (the server refuses unknown parameters).
 */
export function reportParams(state: FilterState, referenceDate: string): Record<string, string> {
  const window = resolveWindow(state, referenceDate);
  const params: Record<string, string> = { from: window.from, to: window.to, grain: state.grain };
  if (state.region) params.region = state.region;
  if (state.language) params.language = state.language;
  if (state.gender) params.gender = state.gender;
  if (state.source) params.source = state.source;
  if (state.campaign) params.campaign = state.campaign;
  if (state.compare) params.compare = 'previous';
  return params;
}
