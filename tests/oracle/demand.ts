// The demand reports' oracle (demand, campaign_response, seasonality, funnel, contacts_by_status):
// windows, periods and breakdowns over the source rows of world.ts, in plain loops.
import { DAY_MS, dayStart, isSeekerMatching, isoDay, type Filters, type OracleContact, type World } from './world.ts';

/** D.T's overall statuses, in its order. */
export const STATUSES = ['new', 'unassignable', 'unassigned', 'assigned', 'active', 'paused', 'closed'] as const;

/** The day the latest contact (of any type) was created: the end of the windows tests look back from. */
export const lastCreatedDay = (world: World): string => isoDay(Math.max(...world.contacts.map((c) => c.createdMs)));

export type Cohort = 'current' | 'previous';

/**
 * The contacts of the window [from, to] (inclusive days), and with compare those of the window of
 * equal length before it, each with the time it is bucketed at (previous ones moved forward by
 * the window's length).
 */
export function windowContacts(world: World, from: string, to: string, filters: Filters, compare: boolean):
  { contact: OracleContact; cohort: Cohort; alignedMs: number }[] {
  const start = dayStart(from);
  const end = dayStart(to) + DAY_MS;
  const length = end - start;
  const out: { contact: OracleContact; cohort: Cohort; alignedMs: number }[] = [];
  for (const c of world.contacts) {
    if (!isSeekerMatching(world, c, filters)) continue;
    if (c.createdMs >= start && c.createdMs < end) out.push({ contact: c, cohort: 'current', alignedMs: c.createdMs });
    else if (compare && c.createdMs >= start - length && c.createdMs < start) out.push({ contact: c, cohort: 'previous', alignedMs: c.createdMs + length });
  }
  return out;
}

/** Start of the week (Monday), month, quarter or year a time falls in, as YYYY-MM-DD. */
export function periodStart(grain: string, ms: number): string {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (grain) {
    case 'week': {
      const midnight = Date.UTC(y, m, d.getUTCDate());
      return isoDay(midnight - ((d.getUTCDay() + 6) % 7) * DAY_MS);
    }
    case 'month': return isoDay(Date.UTC(y, m, 1));
    case 'quarter': return isoDay(Date.UTC(y, m - (m % 3), 1));
    default: return isoDay(Date.UTC(y, 0, 1));
  }
}

/** ISO 8601 week: the year and number of the week's Thursday. */
export function isoWeek(ms: number): { year: number; week: number } {
  const d = new Date(ms);
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) + (3 - ((d.getUTCDay() + 6) % 7)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const ordinal = Math.round((thursday - Date.UTC(year, 0, 1)) / DAY_MS);
  return { year, week: Math.floor(ordinal / 7) + 1 };
}

/** The values a contact counts under for a breakdown; one null when it has none. */
export function breakdownValues(values: string[]): (string | null)[] {
  const distinct = [...new Set(values)];
  return distinct.length > 0 ? distinct : [null];
}

export const pct = (part: number, whole: number): number | null => (whole > 0 ? (part * 100) / whole : null);
