// Dispatch: supply against demand, the queue, duplicates and who should get a contact. The
// dispatcher's own reports; capacity and worker_gap are also read by leaders as aggregates.
import type { DuckDBConnection } from '@duckdb/node-api';
import { GLOBAL_PARAMS, ParamError, type ParamSpec, type ParamValue } from '../params.ts';
import { CONTACT_FILTERS, WINDOW_FILTERS, type ReportDefinition } from '../definitions.ts';

const g = GLOBAL_PARAMS;

const LEVEL_NAMES = '0 country, 1 admin1, 2 admin2, 3 city';

const regionLevel: ParamSpec = {
  name: 'level', type: 'integer', min: 0, max: 3, default: 0,
  description: `level of the location tree the contact's place is rolled up to (${LEVEL_NAMES})`,
};

const defaultCapacity: ParamSpec = {
  name: 'default_capacity', type: 'integer', min: 0, max: 1000, default: 10,
  description: 'active contacts a multiplier can hold when their capacity is not recorded',
};

const onlyUncovered: ParamSpec = {
  name: 'only_uncovered', type: 'boolean', default: false,
  description: 'only the areas with demand and no fitting multiplier at all',
};

// D.T's own "update needed" thresholds for a contact sitting at a seeker-path stage.
const stuckNoneDays: ParamSpec = {
  name: 'stuck_none_days', type: 'integer', min: 0, max: 3650, default: 3,
  description: 'days an active contact may stay at seeker path none (not yet attempted) before it counts as stuck',
};
const stuckAttemptedDays: ParamSpec = {
  name: 'stuck_attempted_days', type: 'integer', min: 0, max: 3650, default: 7,
  description: 'days an active contact may stay at contact attempted before it counts as stuck',
};
const stuckLaterDays: ParamSpec = {
  name: 'stuck_later_days', type: 'integer', min: 0, max: 3650, default: 30,
  description: 'days an active contact may stay at any later stage (established and beyond) before it counts as stuck',
};

const onlyDifferentMultipliers: ParamSpec = {
  name: 'only_different_multipliers', type: 'boolean', default: false,
  description: 'only the pairs assigned to two different multipliers (two workers may call the same seeker)',
};

const pairLimit: ParamSpec = {
  name: 'limit', type: 'integer', min: 1, max: 100000, default: 500,
  description: 'most pairs listed, in the report\'s order (different multipliers first, then the strongest evidence)',
};

const contactId: ParamSpec = {
  name: 'contact_id', type: 'string', default: null, required: true,
  description: 'the outreach contact to find a multiplier for (its D.T post ID or canonical id)',
};

const attemptWithinDays: ParamSpec = {
  name: 'attempt_within_days', type: 'integer', min: 1, max: 365, default: 3,
  description: 'days after an assignment within which a first contact attempt counts as good follow-through',
};

// The match query only makes sense for a contact that exists; saying so beats an empty table.
async function runMatch(connection: DuckDBConnection, params: Record<string, ParamValue>) {
  const id = params.contact_id;
  const reader = await connection.runAndReadAll(
    `SELECT count(*)::INTEGER AS n FROM contacts WHERE contact_id = $id AND contact_type = 'access'`,
    { id: String(id) },
  );
  const found = (reader.getRowObjectsJson()[0] as { n: number } | undefined)?.n ?? 0;
  if (found === 0) {
    throw new ParamError('contact_id', `parameter "contact_id": no outreach contact has the id "${String(id)}"`);
  }
  // Imported lazily: the registry imports this catalogue, so a static import would be circular.
  const { reportSql, runSql } = await import('../registry.ts');
  return runSql(connection, reportSql('match.sql'), params);
}

export const DISPATCH_REPORTS: ReportDefinition[] = [
  {
    name: 'capacity',
    title: 'Multiplier capacity',
    description: 'Per multiplier: active load (contacts active or waiting to be accepted), capacity (default 10; none when the workload status is too_many), utilisation, free capacity, workload status, languages, gender, areas served, dates unavailable and whether unavailable now.',
    params: [g.region!, g.language!, g.gender!, g.as_of!, defaultCapacity],
    columnKinds: {
      user_id: 'dimension', multiplier: 'identifying', gender: 'dimension', languages: 'dimension',
      areas_served: 'dimension', workload_status: 'dimension',
      nominal_capacity: 'measure', capacity: 'measure', active_load: 'count', waiting_acceptance: 'count',
      utilisation_pct: 'measure', free_capacity: 'measure',
      unavailable_now: 'dimension', unavailable_until: 'dimension', unavailable_dates: 'dimension',
    },
  },
  {
    name: 'worker_gap',
    title: 'Regional worker gap',
    description: 'Per region and per language × gender: contacts created in the window against the multipliers who serve the region and fit the language and gender, and their free capacity; the areas with demand and no fitting multiplier at all come first.',
    params: [...WINDOW_FILTERS, regionLevel, g.as_of!, defaultCapacity, onlyUncovered],
    // Workers are counted as measures, not seeker counts: "0 fitting multipliers" is the finding a
    // leader needs, and small-count suppression is there to protect seekers.
    columnKinds: {
      region_id: 'dimension', region: 'dimension', language: 'dimension', gender: 'dimension',
      demand_contacts: 'count', fitting_multipliers: 'measure', free_capacity: 'measure', gap: 'measure',
      coverage_status: 'dimension', multipliers_in_region: 'measure',
    },
  },
  {
    name: 'bottlenecks',
    title: 'Bottlenecks',
    description: 'By region: the dispatch queue (unassigned or new) with its oldest and median age, contacts waiting to be accepted with the oldest and median wait, and active contacts stuck at a seeker-path stage longer than D.T\'s thresholds (3 days at none, 7 at attempted, 30 later).',
    params: [...CONTACT_FILTERS, regionLevel, g.as_of!, stuckNoneDays, stuckAttemptedDays, stuckLaterDays],
    columnKinds: {
      region_id: 'dimension', region: 'dimension',
      queue_contacts: 'count', queue_oldest_days: 'measure', queue_median_days: 'measure',
      waiting_acceptance_contacts: 'count', waiting_oldest_days: 'measure', waiting_median_days: 'measure',
      active_contacts: 'count', stuck_contacts: 'count', stuck_at_none: 'count', stuck_at_attempted: 'count',
      stuck_later: 'count', stuck_oldest_days: 'measure',
    },
  },
  {
    name: 'duplicates',
    title: 'Duplicate contacts',
    description: 'Likely duplicate pairs of contacts: the same phone or e-mail (normalised, compared as hashes), or the same name in the same place; pairs assigned to two different multipliers first, up to a limit (pairs_found counts them all).',
    params: [...CONTACT_FILTERS, onlyDifferentMultipliers, pairLimit],
    contactLevel: true,
    columnKinds: {
      contact_id_a: 'identifying', name_a: 'identifying', status_a: 'dimension',
      assigned_to_a: 'dimension', assigned_to_name_a: 'identifying',
      contact_id_b: 'identifying', name_b: 'identifying', status_b: 'dimension',
      assigned_to_b: 'dimension', assigned_to_name_b: 'identifying',
      match_reason: 'dimension', different_multipliers: 'dimension', pairs_found: 'count',
    },
  },
  {
    name: 'match',
    title: 'Match suggestions',
    description: 'For one contact: every multiplier ranked by fit (language, gender, distance, free capacity, availability, follow-through record), with a score and the reasons in words.',
    params: [contactId, g.as_of!, defaultCapacity, attemptWithinDays],
    contactLevel: true,
    run: (connection, params) => runMatch(connection, params),
    columnKinds: {
      rank: 'dimension', user_id: 'dimension', multiplier: 'identifying', score: 'measure',
      language_match: 'dimension', shared_languages: 'dimension', gender: 'dimension', gender_match: 'dimension',
      distance_km: 'measure', serves_area: 'dimension', free_capacity: 'measure', capacity: 'measure',
      nominal_capacity: 'measure', active_load: 'count', available: 'dimension', unavailable_now: 'dimension',
      workload_status: 'dimension', follow_through_pct: 'measure', judged_assignments: 'count',
      assigned_now: 'dimension', reasons: 'identifying',
    },
  },
];
