// The HTTP contract with the server, as the web sees it. The server's own types live in
// server/core/reports/*; the web knows the server only through this API.
import type { Role } from '../state/roles';

export type ParamType = 'date' | 'enum' | 'string' | 'integer' | 'boolean' | 'string[]';

export interface ReportParamSpec {
  name: string;
  type: ParamType;
  default: string | number | boolean | string[] | null;
  allowed?: string[];
  description: string;
}

export interface ReportCatalogueEntry {
  name: string;
  title: string;
  description: string;
  params: ReportParamSpec[];
  /** What the signed-in role gets: everything, small counts suppressed, or nothing. */
  access?: 'full' | 'suppressed' | 'forbidden';
}

export interface ReportColumn {
  name: string;
  type: string;
}

export type ReportRow = Record<string, unknown>;

export interface ReportResult {
  report: string;
  params: Record<string, unknown>;
  datasetVersion: number;
  columns: ReportColumn[];
  rows: ReportRow[];
}

export interface Health {
  ok: boolean;
  datasetVersion: number;
  /** Optional: the dataset's as-of date; default windows end there instead of today. */
  asOf?: string;
  /** Optional: the D.T site URL, so contact rows can link back to the contact in D.T. */
  dtSiteUrl?: string;
}

export interface Me {
  login: string;
  role: Role;
  csrfToken?: string;
}

export interface LoginRequest {
  login: string;
  password: string;
  totp: string;
}

export type ImportState = 'queued' | 'running' | 'ok' | 'refused' | 'failed' | (string & {});

export interface ImportProgress {
  state: ImportState;
  /** 0..1 */
  progress: number;
  message?: string;
}

/** One row of GET /api/imports (the imports table; extra fields are shown as they come). */
export interface ImportRecord {
  attempt_id?: string;
  version?: number | null;
  files?: string[] | string;
  started_at?: string;
  finished_at?: string | null;
  outcome?: string;
  message?: string | null;
  rejects_count?: number;
  unparsed_count?: number;
  skipped_count?: number;
  [key: string]: unknown;
}

/** The server's error body: { error, message }. */
export interface ErrorBody {
  error: string;
  message: string;
}

export interface RegionOption {
  id: string | number;
  name: string;
  /** 0 country, 1 admin1, 2 admin2, 3 city */
  level?: number;
  parent_id?: string | number | null;
  /** Where to place the region on the map (the location grid's coordinates). */
  longitude?: number | null;
  latitude?: number | null;
}

/** GET /api/dimensions (optional): the values the filter bar offers. */
export interface Dimensions {
  regions?: RegionOption[];
  languages?: string[];
  sources?: string[];
  campaigns?: string[];
}
