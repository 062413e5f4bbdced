// Demand: where and when seekers answer the media, and which campaigns bring seekers who go on to
// meet someone. Marketers and leaders read these as aggregates.
import { GLOBAL_PARAMS, type ParamSpec } from '../params.ts';
import { CONTACT_FILTERS, WINDOW_FILTERS, type ReportDefinition } from '../definitions.ts';

const g = GLOBAL_PARAMS;

const LEVEL_NAMES = '0 country, 1 admin1, 2 admin2, 3 city';

const demandLevel: ParamSpec = {
  name: 'level', type: 'integer', min: 0, max: 3, default: 0,
  description: `level of the location tree regions are rolled up to (${LEVEL_NAMES}); used when by=region`,
};

const demandBy: ParamSpec = {
  name: 'by', type: 'enum', allowed: ['region', 'source', 'campaign', 'language', 'gender'], default: 'region',
  description: 'what to break demand down by; sources, campaigns and languages count a contact once under each of its values',
};

const placeLevel: ParamSpec = {
  name: 'level', type: 'integer', min: 0, max: 3, default: null,
  description: `level the contact's place is rolled up to (${LEVEL_NAMES}); default the contact's own (primary) location`,
};

const perPlace: ParamSpec = {
  name: 'per_place', type: 'boolean', default: true,
  description: 'one row per place and campaign/source; false: one row per campaign/source over all places',
};

const responseBy: ParamSpec = {
  name: 'by', type: 'enum', allowed: ['campaign', 'source'], default: 'campaign',
  description: 'compare campaigns or sources',
};

const withinDays: ParamSpec = {
  name: 'within_days', type: 'integer', min: 1, max: 3650, default: 60,
  description: 'days after creation within which a stage counts as reached',
};

const seasonGrain: ParamSpec = {
  name: 'grain', type: 'enum', allowed: ['week', 'month'], default: 'week',
  description: 'week of the year (ISO weeks 1-53, in ISO years) or month of the year',
};

// Seasons only show across years, so the window defaults to all of history.
const allHistoryFrom: ParamSpec = { ...g.from!, default: '2000-01-01', description: 'first day counted (YYYY-MM-DD); default all history' };

export const DEMAND_REPORTS: ReportDefinition[] = [
  {
    name: 'demand',
    title: 'Demand',
    description: 'Outreach contacts created (handed to dispatch) per period, by region at a chosen level, or by source, campaign, language or gender; optionally against the previous window of equal length.',
    params: [...WINDOW_FILTERS, g.grain!, demandLevel, demandBy, g.compare!],
    columnKinds: {
      period: 'dimension', region_id: 'dimension', breakdown: 'dimension',
      contacts: 'count', previous_contacts: 'count', delta: 'measure', delta_pct: 'measure',
    },
  },
  {
    name: 'campaign_response',
    title: 'Campaign response',
    description: 'Per place and campaign (or source): new contacts, and the share that reached contact established, a first meeting and ongoing meetings or coaching within 60 days of creation, meetings per contact; against the previous period of equal length.',
    params: [...WINDOW_FILTERS, placeLevel, perPlace, responseBy, withinDays, g.compare!],
    columnKinds: {
      place_id: 'dimension', place: 'dimension', campaign_or_source: 'dimension',
      new_contacts: 'count', meetings: 'count', contacts_without_history: 'count', previous_new_contacts: 'count',
    },
  },
  {
    name: 'seasonality',
    title: 'Seasonality',
    description: 'Contacts created per week of the year or month of the year, year by year, with each period\'s share of its year, so recurring peaks (Ramadan, Christmas) show.',
    params: [allHistoryFrom, g.to!, seasonGrain, ...CONTACT_FILTERS],
    columnKinds: {
      year: 'dimension', period_of_year: 'dimension', period_start: 'dimension', contacts: 'count',
    },
  },
];
