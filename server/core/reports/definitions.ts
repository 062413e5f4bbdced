// Declarations of every named report: its parameters (validated, then bound) and how its columns are
// to be read (dimension / count / measure / identifying) for formatting and small-count suppression.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ReportPrivacy } from './privacy.ts';
import { GLOBAL_PARAMS, type ParamSpec, type ParamValue } from './params.ts';

export type ColumnKind = 'dimension' | 'count' | 'measure' | 'identifying';

export interface ReportDefinition {
  name: string;
  title: string;
  description: string;
  params: ParamSpec[];
  /** How to read the output columns; columns not listed are measures. */
  columnKinds?: Record<string, ColumnKind>;
  /** Contact-level by nature: ids and names are the point (dispatchers only). */
  contactLevel?: boolean;
  /** How to suppress small counts for aggregate-only roles. Without one, those roles get 403 (fail closed). */
  privacy?: ReportPrivacy;
  sqlFile?: string;
  /** For reports that post-process in TypeScript (statistics); default runs queries/<name>.sql. */
  run?: (
    connection: DuckDBConnection,
    params: Record<string, ParamValue>,
    context: { asOf: string },
  ) => Promise<{ columns: { name: string; type: string }[]; rows: Record<string, unknown>[] }>;
}

const g = GLOBAL_PARAMS;
const contactFilters: ParamSpec[] = [g.region!, g.language!, g.gender!, g.source!, g.campaign!];
/** from, to and the contact filters: for reports over contacts created in a window. */
export const WINDOW_FILTERS: ParamSpec[] = [g.from!, g.to!, ...contactFilters];
export const CONTACT_FILTERS = contactFilters;

export const BASIC_REPORTS: ReportDefinition[] = [
  {
    name: 'contacts_by_status',
    title: 'Contacts by status',
    description: 'Outreach contacts created in the window, by overall status in D.T order; optionally against the previous window of equal length.',
    params: [...WINDOW_FILTERS, g.compare!],
    columnKinds: { overall_status: 'dimension', contacts: 'count', previous_contacts: 'count', delta: 'measure' },
  },
  {
    name: 'funnel',
    title: 'Seeker-path funnel',
    description: 'Contacts at each seeker-path stage now, contacts that reached at least that stage, and stage-to-stage conversion; optionally against the previous window of equal length.',
    params: [...WINDOW_FILTERS, g.compare!],
    columnKinds: {
      stage: 'dimension', contacts_now: 'count', reached: 'count',
      previous_contacts_now: 'count', previous_reached: 'count', reached_delta: 'measure',
    },
  },
];
