// The stored columns of each table, in one place: the stage tables, the appender and the merge SQL
// are generated from these lists, so a new field is added once. Names come from code, never input.

export type StageType = 'VARCHAR' | 'VARCHAR[]' | 'BIGINT[]' | 'BOOLEAN' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'EPOCH_MS';

export interface ColumnSpec {
  name: string;
  stage: StageType;
  /** SQL turning the staged value `s.<name>` into the stored type. */
  store?: string;
}

const ms = (name: string, date = false): ColumnSpec => ({
  name,
  stage: 'EPOCH_MS',
  store: date ? `epoch_ms(s.${name})::DATE` : `epoch_ms(s.${name})`,
});

/** A day-only value (the D.T CSV shows dates without times) does not overwrite a stored time on the
 *  same day: importing the CSV after the REST export must not lose precision. `c` is the stored row. */
const keepPreciseTime = (name: string): ColumnSpec => ({
  name,
  stage: 'EPOCH_MS',
  store: `CASE WHEN epoch_ms(s.${name}) = epoch_ms(s.${name})::DATE::TIMESTAMP AND c.${name}::DATE = epoch_ms(s.${name})::DATE
    THEN c.${name} ELSE epoch_ms(s.${name}) END`,
});

export const CONTACT_COLUMNS: ColumnSpec[] = [
  { name: 'name', stage: 'VARCHAR' },
  keepPreciseTime('created_at'),
  { name: 'contact_type', stage: 'VARCHAR', store: 's.contact_type::contact_type' },
  { name: 'overall_status', stage: 'VARCHAR', store: 's.overall_status::overall_status' },
  { name: 'seeker_path', stage: 'VARCHAR', store: 's.seeker_path::seeker_path' },
  { name: 'gender', stage: 'VARCHAR' },
  { name: 'age_band', stage: 'VARCHAR' },
  { name: 'languages', stage: 'VARCHAR[]' },
  { name: 'sources', stage: 'VARCHAR[]' },
  { name: 'campaigns', stage: 'VARCHAR[]' },
  { name: 'tags', stage: 'VARCHAR[]' },
  { name: 'location_ids', stage: 'BIGINT[]' },
  { name: 'assigned_to', stage: 'VARCHAR' },
  { name: 'accepted', stage: 'BOOLEAN' },
  { name: 'requires_update', stage: 'BOOLEAN' },
  { name: 'reason_closed', stage: 'VARCHAR' },
  { name: 'reason_paused', stage: 'VARCHAR' },
  { name: 'reason_unassignable', stage: 'VARCHAR' },
  { name: 'milestones', stage: 'VARCHAR[]' },
  { name: 'faith_status', stage: 'VARCHAR' },
  ms('baptism_date', true),
  { name: 'attempts_count', stage: 'INTEGER' },
  { name: 'established_count', stage: 'INTEGER' },
  { name: 'scheduled_count', stage: 'INTEGER' },
  { name: 'met_count', stage: 'INTEGER' },
  { name: 'no_show_count', stage: 'INTEGER' },
  keepPreciseTime('last_modified'),
];

/** Staged but not stored as such: raw contact details (hashed in SQL) and a display name to resolve. */
export const CONTACT_STAGE_ONLY: ColumnSpec[] = [
  { name: 'phones', stage: 'VARCHAR[]' },
  { name: 'emails', stage: 'VARCHAR[]' },
  { name: 'assigned_to_name', stage: 'VARCHAR' },
];

export const MULTIPLIER_COLUMNS: ColumnSpec[] = [
  { name: 'display_name', stage: 'VARCHAR' },
  { name: 'login', stage: 'VARCHAR' },
  { name: 'roles', stage: 'VARCHAR[]' },
  { name: 'user_status', stage: 'VARCHAR' },
  { name: 'gender', stage: 'VARCHAR' },
  { name: 'languages', stage: 'VARCHAR[]' },
  { name: 'location_ids', stage: 'BIGINT[]' },
  { name: 'workload_status', stage: 'VARCHAR' },
  { name: 'capacity', stage: 'INTEGER' },
  // Staged as "2026-12-20/2027-01-05;..." (the canonical CSV form) so both paths share one conversion.
  {
    name: 'unavailable',
    stage: 'VARCHAR',
    store: `CASE WHEN s.unavailable IS NULL OR s.unavailable = '' THEN []::STRUCT(start_date DATE, end_date DATE)[]
      ELSE list_transform(string_split(s.unavailable, ';'),
        r -> {'start_date': split_part(r, '/', 1)::DATE, 'end_date': split_part(r, '/', 2)::DATE}) END`,
  },
];

export const EVENT_COLUMNS: ColumnSpec[] = [
  { name: 'contact_id', stage: 'VARCHAR' },
  ms('occurred_at'),
  { name: 'kind', stage: 'VARCHAR', store: 's.kind::event_kind' },
  { name: 'actor_name', stage: 'VARCHAR' },
  { name: 'actor_id', stage: 'VARCHAR' },
  { name: 'target_user_id', stage: 'VARCHAR' },
  { name: 'field', stage: 'VARCHAR' },
  { name: 'old_value', stage: 'VARCHAR' },
  { name: 'new_value', stage: 'VARCHAR' },
  { name: 'note', stage: 'VARCHAR' },
];

export const EVENT_STAGE_ONLY: ColumnSpec[] = [{ name: 'target_name', stage: 'VARCHAR' }];

export const LOCATION_COLUMNS: ColumnSpec[] = [
  { name: 'name', stage: 'VARCHAR' },
  { name: 'level', stage: 'INTEGER' },
  { name: 'level_name', stage: 'VARCHAR' },
  { name: 'parent_id', stage: 'BIGINT' },
  { name: 'country_code', stage: 'VARCHAR' },
  { name: 'longitude', stage: 'DOUBLE' },
  { name: 'latitude', stage: 'DOUBLE' },
  { name: 'population', stage: 'BIGINT' },
];

export function stageSqlType(stage: StageType): string {
  return stage === 'EPOCH_MS' ? 'BIGINT' : stage;
}
