// Reading the worker_gap report (one row per region × language × gender) the ways the views need:
// per region (demand summed; multipliers serving the region are the same on each of its rows, so
// taken once), per language × gender, and the two findings a leader asks for first.
import { findColumn, numberOrNull, type ResultLike } from './columns';
import { aggregate, withRatio, withSegment } from './shape';
import { isSuppressed } from './suppressed';

const REGION_KEYS = ['region_id', 'location_id', 'region', 'region_name', 'longitude', 'latitude'];
const DEMAND = ['demand_contacts', 'demand', 'contacts'];

export function gapByRegion(result: ResultLike): ResultLike {
  const perRegion = aggregate(result, REGION_KEYS, [...DEMAND, 'gap'], ['multipliers_in_region']);
  const demand = findColumn(perRegion, DEMAND);
  return demand ? withRatio(perRegion, 'contacts_per_multiplier', demand, 'multipliers_in_region') : perRegion;
}

export function gapBySegment(result: ResultLike): ResultLike {
  return withSegment(aggregate(result, ['language', 'gender'], [...DEMAND, 'free_capacity', 'gap']), ['language', 'gender']);
}

/** Regions with demand in the window and no multiplier serving them at all (null if unknown). */
export function regionsWithoutMultiplier(result: ResultLike): number | null {
  const regions = gapByRegion(result);
  const demand = findColumn(regions, DEMAND);
  if (!demand || !findColumn(regions, ['multipliers_in_region'])) return null;
  return regions.rows.filter((r) => (numberOrNull(r[demand]) ?? 0) > 0 && numberOrNull(r.multipliers_in_region) === 0).length;
}

/**
 * Contacts in the window whose region, language and gender no multiplier fits (value null if
 * unknown; atLeast when some of those groups' counts are suppressed, so only a lower bound is known).
 */
export function contactsWithoutFit(result: ResultLike): { value: number | null; atLeast: boolean } {
  const demand = findColumn(result, DEMAND);
  if (!demand || !findColumn(result, ['fitting_multipliers'])) return { value: null, atLeast: false };
  const unfit = result.rows.filter((r) => numberOrNull(r.fitting_multipliers) === 0);
  return {
    value: unfit.reduce((sum, r) => sum + (numberOrNull(r[demand]) ?? 0), 0),
    atLeast: unfit.some((r) => numberOrNull(r[demand]) === null && isSuppressed(r[demand])),
  };
}
