// How each aggregate report is shown to aggregate-only roles (marketer, leader): which columns are
// seeker counts (suppressed under 5, with secondary suppression), which are measures derived from
// them (hidden with them), and which rows add up to known totals. A report without an entry here is
// refused to those roles (fail closed); a column missing from an entry makes the suppression throw.
import type { ColumnDecl, SuppressionSpec } from '../auth/suppression.ts';

export interface ReportPrivacy {
  spec: SuppressionSpec;
  /** Runs before suppression, for aggregate roles only: e.g. turns percentages into the counts they
   *  are made of, so a "10% of 20" can't reveal the 2 behind it. */
  prepare?: (rows: Record<string, unknown>[]) => Record<string, unknown>[];
}

const dim = (name: string): ColumnDecl => ({ name, kind: 'dimension' });
const count = (name: string): ColumnDecl => ({ name, kind: 'count' });
const measure = (name: string, derivedFrom: string[], ofTotalOver?: string[]): ColumnDecl =>
  ({ name, kind: 'measure', derivedFrom, ...(ofTotalOver ? { ofTotalOver } : {}) });
const identifying = (name: string): ColumnDecl => ({ name, kind: 'identifying' });

/** The count a percentage of a count stands for (rounded as the percentage was). */
function countBehind(pct: unknown, base: unknown): number | null {
  if (typeof pct !== 'number' || typeof base !== 'number') return null;
  return Math.round((pct * base) / 100);
}

export const REPORT_PRIVACY: Record<string, ReportPrivacy> = {
  contacts_by_status: {
    spec: {
      columns: [dim('overall_status'), count('contacts'), measure('share_pct', ['contacts'], ['overall_status']),
        count('previous_contacts'), measure('delta', ['contacts', 'previous_contacts']), measure('delta_pct', ['contacts', 'previous_contacts'])],
      partitions: [{ over: ['overall_status'] }],
    },
  },
  funnel: {
    // Known limit: reached[s] - reached[s+1] = contacts_now[s]; both are suppressed under 5 but the
    // difference of two large published `reached` values is not checked across rows.
    spec: {
      columns: [dim('stage'), count('contacts_now'), count('reached'), measure('conversion_from_previous_pct', ['reached']),
        count('previous_contacts_now'), count('previous_reached'), measure('previous_conversion_from_previous_pct', ['previous_reached']),
        measure('reached_delta', ['reached', 'previous_reached']), measure('conversion_delta_pts', ['reached', 'previous_reached'])],
      partitions: [{ over: ['stage'] }],
    },
  },
  demand: {
    spec: {
      columns: [dim('period'), dim('region_id'), dim('breakdown'), count('contacts'), count('previous_contacts'),
        measure('delta', ['contacts', 'previous_contacts']), measure('delta_pct', ['contacts', 'previous_contacts'])],
      partitions: [{ over: ['period'] }, { over: ['region_id', 'breakdown'] }],
    },
  },
  seasonality: {
    spec: {
      columns: [dim('year'), dim('period_of_year'), dim('period_start'), count('contacts'),
        measure('share_of_year_pct', ['contacts'], ['period_of_year', 'period_start'])],
      partitions: [{ over: ['period_of_year', 'period_start'] }],
    },
  },
  campaign_response: {
    prepare: (rows) => rows.map((r) => ({
      ...r,
      established_contacts: countBehind(r.established_pct, r.new_contacts),
      met_contacts: countBehind(r.met_pct, r.new_contacts),
      later_contacts: countBehind(r.later_pct, r.new_contacts),
      previous_met_contacts: countBehind(r.previous_met_pct, r.previous_new_contacts),
    })),
    spec: {
      columns: [dim('place_id'), dim('place'), dim('campaign_or_source'), count('new_contacts'),
        count('established_contacts'), count('met_contacts'), count('later_contacts'), count('previous_met_contacts'),
        measure('established_pct', ['established_contacts', 'new_contacts']), measure('met_pct', ['met_contacts', 'new_contacts']),
        measure('later_pct', ['later_contacts', 'new_contacts']), count('meetings'), measure('meetings_per_contact', ['meetings', 'new_contacts']),
        count('contacts_without_history'), count('previous_new_contacts'),
        measure('previous_met_pct', ['previous_met_contacts', 'previous_new_contacts']),
        measure('previous_meetings_per_contact', ['previous_new_contacts']),
        measure('new_contacts_delta', ['new_contacts', 'previous_new_contacts']),
        measure('met_delta_pts', ['met_contacts', 'new_contacts', 'previous_met_contacts', 'previous_new_contacts'])],
      // Places partition a campaign's contacts. Campaigns do not partition a place's: a contact can answer
      // several campaigns, or none, and declaring that sum made every table unsolvable (all withheld).
      partitions: [{ over: ['place_id', 'place'] }],
    },
  },
  worker_gap: {
    // Workers are not seekers: multiplier counts and free capacity stay visible, so marketers see where
    // follow-up is missing. The gap is demand minus free capacity, so it is hidden with the demand.
    spec: {
      columns: [dim('region_id'), dim('region'), dim('language'), dim('gender'), count('demand_contacts'),
        measure('fitting_multipliers', []), measure('free_capacity', []), measure('gap', ['demand_contacts']),
        dim('coverage_status'), measure('multipliers_in_region', [])],
      partitions: [{ over: ['language', 'gender'] }],
    },
  },
  bottlenecks: {
    spec: {
      columns: [dim('region_id'), dim('region'), count('queue_contacts'), measure('queue_oldest_days', ['queue_contacts']),
        measure('queue_median_days', ['queue_contacts']), count('waiting_acceptance_contacts'),
        measure('waiting_oldest_days', ['waiting_acceptance_contacts']), measure('waiting_median_days', ['waiting_acceptance_contacts']),
        count('active_contacts'), count('stuck_contacts'), count('stuck_at_none'), count('stuck_at_attempted'), count('stuck_later'),
        measure('stuck_oldest_days', ['stuck_contacts'])],
      partitions: [{ over: ['region_id', 'region'] }],
      columnSums: [{ parts: ['stuck_at_none', 'stuck_at_attempted', 'stuck_later'], total: 'stuck_contacts' }],
    },
  },
  latency: {
    spec: {
      columns: [identifying('multiplier_id'), identifying('multiplier_name'), dim('region_id'), dim('region_name'), dim('month'),
        dim('milestone'), count('episodes'), count('reached'), count('censored'), count('still_waiting'),
        measure('median_days', ['reached']), measure('p90_days', ['reached']), measure('naive_median_days', ['reached'])],
      columnSums: [{ parts: ['reached', 'censored'], total: 'episodes' }],
    },
  },
};
