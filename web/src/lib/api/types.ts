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

/** The server's error body: { error, message }, with `problems` for a refused password. */
export interface ErrorBody {
  error: string;
  message: string;
  problems?: unknown[];
}

/** One rejected row, unparsed note or skipped file of an import (GET /api/imports/:id/issues). */
export interface ImportIssue {
  kind: 'reject' | 'unparsed' | 'skipped' | (string & {});
  file: string | null;
  row_number: number | null;
  field: string | null;
  value: string | null;
  reason: string | null;
}

/** POST /api/auth/setup/begin: who the link is for and the authenticator enrolment. */
export interface SetupBegin {
  login: string;
  role: Role;
  /** An SVG document drawn by the server's `qrcode` package: checked before it is shown. */
  qrSvg: string;
  /** base32, for typing into the authenticator when the camera cannot scan. */
  secret: string;
  otpauthUri: string;
}

export interface SetupComplete {
  token: string;
  password: string;
  totp: string;
}

/** The recovery codes are shown once, here, and stored only hashed on the server. */
export interface SetupDone {
  login: string;
  recoveryCodes: string[];
}

/** POST /api/users and /api/users/:login/reset: the one-time link to pass to the person. */
export interface SetupTicket {
  login: string;
  setupLink: string;
  expiresAtMs: number;
}

/** GET /api/users: what an admin sees of an account (no hashes, no secrets). */
export interface UserSummary {
  id: number;
  login: string;
  role: Role;
  createdAtMs: number;
  passwordChangedAtMs: number | null;
  setupPending: boolean;
  totpEnrolled: boolean;
  recoveryCodesLeft: number;
  lockedUntilMs: number | null;
  disabled: boolean;
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
