// The shapes every format parser produces. Parsers are pure: file text in, typed rows and
// problems out. Only the loader (load.ts) touches DuckDB, so every format gets the same
// transaction, upsert and reject handling.

export type OverallStatus = 'new' | 'unassignable' | 'unassigned' | 'assigned' | 'active' | 'paused' | 'closed';
export type SeekerPath = 'none' | 'attempted' | 'established' | 'scheduled' | 'met' | 'ongoing' | 'coaching';
export type ContactType = 'access' | 'personal' | 'user' | 'placeholder';
export type EventKind =
  | 'created' | 'assigned' | 'accepted' | 'declined' | 'status_changed' | 'seeker_path_changed'
  | 'attempt' | 'established' | 'scheduled' | 'met' | 'no_show'
  | 'update_requested' | 'update_answered' | 'comment' | 'field_changed' | 'unparsed';

export const OVERALL_STATUSES: readonly OverallStatus[] = ['new', 'unassignable', 'unassigned', 'assigned', 'active', 'paused', 'closed'];
export const SEEKER_PATHS: readonly SeekerPath[] = ['none', 'attempted', 'established', 'scheduled', 'met', 'ongoing', 'coaching'];
export const CONTACT_TYPES: readonly ContactType[] = ['access', 'personal', 'user', 'placeholder'];

/** A contact as the loader stores it. `undefined` = this format does not carry the field (keep the stored value);
 *  `null` = the format carries it and it is empty. */
export interface ContactRow {
  contact_id: string;
  name?: string | null;
  created_at?: Date | null;            // required for new contacts
  contact_type?: ContactType | null;   // required for new contacts
  overall_status?: OverallStatus | null;
  seeker_path?: SeekerPath | null;
  gender?: string | null;
  age_band?: string | null;
  languages?: string[] | null;
  sources?: string[] | null;
  campaigns?: string[] | null;
  tags?: string[] | null;
  location_ids?: number[] | null;
  assigned_to?: string | null;
  /** The D.T list CSV names the assignee only by display name: the loader resolves it to
   *  multipliers.user_id (null = carried and unassigned). Set only when assigned_to is undefined. */
  assigned_to_name?: string | null;
  accepted?: boolean | null;
  requires_update?: boolean | null;
  reason_closed?: string | null;
  reason_paused?: string | null;
  reason_unassignable?: string | null;
  milestones?: string[] | null;
  faith_status?: string | null;
  baptism_date?: Date | null;
  attempts_count?: number | null;
  established_count?: number | null;
  scheduled_count?: number | null;
  met_count?: number | null;
  no_show_count?: number | null;
  /** Raw values: the loader hashes them and never stores them. */
  phones?: string[] | null;
  emails?: string[] | null;
  last_modified?: Date | null;
}

export interface UnavailableRange { start_date: Date; end_date: Date }

export interface MultiplierRow {
  user_id: string;
  display_name?: string | null;
  login?: string | null;
  roles?: string[] | null;
  user_status?: string | null;
  gender?: string | null;
  languages?: string[] | null;
  location_ids?: number[] | null;
  workload_status?: string | null;
  capacity?: number | null;
  unavailable?: UnavailableRange[] | null;
}

export interface EventRow {
  event_id: string;
  contact_id: string;
  occurred_at: Date;
  kind: EventKind;
  actor_name?: string | null;
  actor_id?: string | null;
  /** For 'assigned' when only a display name is known: the loader resolves it against multipliers. */
  target_user_id?: string | null;
  target_name?: string | null;
  field?: string | null;
  old_value?: string | null;
  new_value?: string | null;
  note?: string | null;
}

export interface LocationRow {
  location_id: number;
  name: string;
  level?: number | null;
  level_name?: string | null;
  parent_id?: number | null;
  country_code?: string | null;
  longitude?: number | null;
  latitude?: number | null;
  population?: number | null;
}

export type IssueKind = 'reject' | 'unparsed' | 'skipped';

/** A row-level problem: names the file, the row and the field, so a person can find and fix it. */
export interface ImportIssue {
  kind: IssueKind;
  file: string;
  row: number | null;
  field: string | null;
  value: string | null;
  reason: string;
}

export type SourceFormat = 'dt-rest' | 'dt-csv' | 'canonical' | 'location-grid';

/** What one parser returns for one file. */
export interface ParsedFile {
  file: string;
  format: SourceFormat;
  contacts: ContactRow[];
  multipliers: MultiplierRow[];
  events: EventRow[];
  locations: LocationRow[];
  issues: ImportIssue[];
  /** Data rows read (for the reject-rate threshold). */
  rowsRead: number;
}

/** A whole file refused (unreadable, truncated, unknown format): the import stops and nothing is written. */
export class ImportRefused extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly row: number | null = null,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = 'ImportRefused';
  }
}

export function emptyParsed(file: string, format: SourceFormat): ParsedFile {
  return { file, format, contacts: [], multipliers: [], events: [], locations: [], issues: [], rowsRead: 0 };
}
