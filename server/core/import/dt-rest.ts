// D.T REST API exports, as the server returned them: contact lists and single contacts, users,
// comments, and (through dt-activity.ts) contact activity. Files that carry nothing Handoff stores
// (user-profile panels, dispatch lists, shares, error bodies) are recognised and skipped with the
// reason, so an export folder can be imported whole and every file is accounted for.
import type { ContactRow, ContactType, EventRow, MultiplierRow, ParsedFile, UnavailableRange } from './types.ts';
import { CONTACT_TYPES, ImportRefused, OVERALL_STATUSES, SEEKER_PATHS, emptyParsed } from './types.ts';
import type { DtLabels } from './dt-labels.ts';
import { isDtSettings } from './dt-labels.ts';
import { type DtParseOptions, parseDtActivity } from './dt-activity.ts';
import {
  type Json,
  dateFromDtText,
  dateFromEpochSeconds,
  dateProblem,
  isJsonObject,
  issue,
  personName,
  redact,
  RowRejected,
} from './dt-values.ts';

export { isDtSettings };

export type DtRestKind =
  | 'contacts-list'      // GET /dt-posts/v2/contacts and POST …/contacts/list: {"posts":[…],"total":N}
  | 'contact'            // GET /dt-posts/v2/contacts/{ID}
  | 'contacts-settings'  // GET /dt-posts/v2/contacts/settings: labels only, read by buildDtLabels
  | 'contact-activity'   // GET …/contacts/{ID}/activity
  | 'contact-comments'   // GET …/contacts/{ID}/comments
  | 'contact-shares'     // GET …/contacts/{ID}/shares
  | 'users-table'        // POST /user-management/v1/get-users: {"users":[…]}
  | 'users-by-id'        // GET /user-management/v1/get_users: {"6": {…}, …}
  | 'users-typeahead'    // GET /dt/v1/users/get_users: [{"name","ID",…}]
  | 'user-details'       // GET /user-management/v1/user?user=ID&section=details
  | 'user-section'       // the same endpoint's other sections (stats, pace, activity, …)
  | 'user-activity-log'  // GET /dt-users/v1/activity-log
  | 'dispatch-list'      // GET …/contacts/assignment-list
  | 'error-response';    // a WP_Error body such as the 403 of a private contact

/**
 * The file's text as JSON, or a refusal that names the file and where it breaks: a truncated
 * download must stop the import, not load half a list.
 */
export function readDtJson(file: string, text: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new ImportRefused(`${file}: the file is empty`, file);
  try {
    return JSON.parse(body);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    if (position) {
      const offset = Number(position[1]);
      const before = body.slice(0, offset);
      const line = before.split('\n').length;
      const column = offset - before.lastIndexOf('\n');
      throw new ImportRefused(`${file}: not valid JSON at line ${line}, column ${column} (${message})`, file, line);
    }
    if (/end of (JSON )?input|unterminated/i.test(message)) {
      throw new ImportRefused(`${file}: the JSON ends early after ${body.length} characters; the file looks truncated`, file);
    }
    throw new ImportRefused(`${file}: not valid JSON (${message})`, file);
  }
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

function isDtErrorBody(json: Json): boolean {
  return typeof json.code === 'string' && typeof json.message === 'string' && isJsonObject(json.data) && typeof json.data.status === 'number' && json.data.status >= 400;
}

function isUsersById(json: Json): boolean {
  const entries = Object.entries(json);
  return entries.length > 0 && entries.every(([id, user]) => /^\d+$/.test(id) && isJsonObject(user) && 'ID' in user && 'display_name' in user);
}

function detectArray(name: string, items: unknown[]): DtRestKind | null {
  const first = items[0];
  if (first === undefined) {
    // An empty array says nothing by itself; the export's name does.
    if (/assignment-list/i.test(name)) return 'dispatch-list';
    if (/activity-log/i.test(name)) return 'user-activity-log';
    if (/_shares\.json$/i.test(name)) return 'contact-shares';
    if (/get_users/i.test(name)) return 'users-typeahead';
    return null;
  }
  if (!items.every(isJsonObject) || !isJsonObject(first)) return null;
  if ('action' in first && 'object_id' in first) return 'user-activity-log';
  if ('post_id' in first && 'user_id' in first && 'display_name' in first) return 'contact-shares';
  if ('ID' in first && ('last_assignment' in first || 'roles' in first)) return 'dispatch-list';
  if ('ID' in first && 'name' in first) return 'users-typeahead';
  return null;
}

/** Which D.T export a parsed JSON file is, by its shape (the file name only breaks ties). */
export function detectDtRest(fileName: string, json: unknown): DtRestKind | null {
  const name = baseName(fileName);
  if (Array.isArray(json)) return detectArray(name, json);
  if (!isJsonObject(json)) return null;
  if (isDtErrorBody(json)) return 'error-response';
  if (isDtSettings(json)) return 'contacts-settings';
  if (Array.isArray(json.posts) && 'total' in json) return 'contacts-list';
  if (Array.isArray(json.activity)) return 'contact-activity';
  if (Array.isArray(json.comments)) return 'contact-comments';
  if (Array.isArray(json.users)) return 'users-table';
  if (json.post_type === 'contacts' && (typeof json.ID === 'number' || typeof json.ID === 'string')) return 'contact';
  if ('user_id' in json && 'display_name' in json && 'workload_status' in json) {
    // Every section of the user endpoint has the same keys, but only "details" fills them
    // (the others say workload_status ""), and only it has gender and user_location.
    return 'user_location' in json || 'gender' in json ? 'user-details' : 'user-section';
  }
  if (isUsersById(json)) return 'users-by-id';
  return null;
}

const SKIP_REASONS: Partial<Record<DtRestKind, string>> = {
  'user-section': 'user profile panel (stats, pace, activity, contact lists): counts D.T derives from contacts and activity, which are imported themselves; only the "details" section carries user fields',
  'user-activity-log': "a user's own activity feed: the same changes are imported from each contact's activity file",
  'dispatch-list': "the dispatcher's assign-to list: derived by D.T from users and contacts, nothing of its own to store",
  'contact-shares': 'who a contact is shared with: Handoff does not store shares',
};

/** Parses one D.T REST file that detectDtRest has recognised as `kind`. */
export function parseDtRest(file: string, json: unknown, kind: DtRestKind, labels: DtLabels, options: DtParseOptions = {}): ParsedFile {
  const now = options.now ?? new Date();
  const skipReason = SKIP_REASONS[kind];
  if (skipReason) {
    const parsed = emptyParsed(file, 'dt-rest');
    parsed.issues.push(issue('skipped', file, null, null, null, skipReason));
    return parsed;
  }
  switch (kind) {
    case 'contacts-settings':
      return emptyParsed(file, 'dt-rest');
    case 'error-response':
      return parseErrorResponse(file, json);
    case 'contacts-list':
      return parseContactsList(file, json, labels, now);
    case 'contact':
      return parseContacts(file, [json], true, labels, now);
    case 'contact-activity':
      return parseDtActivity(file, json, labels, { now });
    case 'contact-comments':
      return parseComments(file, json, now);
    case 'users-table':
      return parseUsers(file, expectObject(file, json, 'users').users as unknown[], usersTableRow);
    case 'users-by-id':
      return parseUsers(file, Object.values(expectObject(file, json)), usersByIdRow);
    case 'users-typeahead':
      return parseUsers(file, expectArray(file, json), typeaheadRow);
    case 'user-details':
      return parseUsers(file, [json], userDetailsRow);
    default:
      throw new ImportRefused(`${file}: no D.T parser for "${kind}"`, file);
  }
}

function expectObject(file: string, json: unknown, arrayKey?: string): Json {
  if (!isJsonObject(json) || (arrayKey !== undefined && !Array.isArray(json[arrayKey]))) {
    throw new ImportRefused(`${file}: not the D.T export it was taken for`, file);
  }
  return json;
}

function expectArray(file: string, json: unknown): unknown[] {
  if (!Array.isArray(json)) throw new ImportRefused(`${file}: not the D.T export it was taken for (expected a list)`, file);
  return json;
}

function parseErrorResponse(file: string, json: unknown): ParsedFile {
  const body = expectObject(file, json);
  const status = isJsonObject(body.data) ? body.data.status : null;
  const parsed = emptyParsed(file, 'dt-rest');
  const why = status === 403 ? ': the exporting user may not read it (a private contact of another user, for example)' : '';
  parsed.issues.push(
    issue('skipped', file, null, null, body.code, `D.T answered HTTP ${status} "${String(body.message)}" instead of data${why}; nothing to import`),
  );
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// Contacts

/**
 * Connection fields D.T returns (as []) on every post when all fields are returned. A post list
 * asked for with `fields_to_return` lacks them, and then lacks every field not asked for too.
 */
const FULL_POST_MARKERS = ['relation', 'subassigned_on', 'coached_by', 'baptized_by', 'people_groups'];

function parseContactsList(file: string, json: unknown, labels: DtLabels, now: Date): ParsedFile {
  const posts = expectObject(file, json, 'posts').posts as unknown[];
  const full = posts.every((post) => isJsonObject(post) && FULL_POST_MARKERS.every((key) => key in post));
  return parseContacts(file, posts, full, labels, now);
}

/**
 * D.T omits keys that have no value. In a post with all fields (single GET, GET list, POST list
 * with `fields_to_return: []`, as in every sample) an omitted key therefore means empty: null, [],
 * or 0 for the quick-button counters (D.T's default). A POST list asked for some fields only
 * carries just those, and an omitted key may be one that was not asked for; there a field counts
 * as carried when at least one post of the file has it, and is left undefined otherwise so the
 * loader keeps the stored value.
 */
function parseContacts(file: string, posts: unknown[], full: boolean, labels: DtLabels, now: Date): ParsedFile {
  const parsed = emptyParsed(file, 'dt-rest');
  parsed.rowsRead = posts.length;
  const keysInFile = new Set<string>();
  for (const post of posts) if (isJsonObject(post)) for (const key of Object.keys(post)) keysInFile.add(key);
  const carried = (dtKey: string): boolean => full || keysInFile.has(dtKey);
  const seen = new Set<string>();
  posts.forEach((post, index) => {
    const row = index + 1;
    if (!isJsonObject(post)) {
      parsed.issues.push(issue('reject', file, row, null, post, 'contact is not an object'));
      return;
    }
    try {
      const contact = contactFromPost(post, carried, labels, now);
      if (seen.has(contact.contact_id)) throw new RowRejected('ID', contact.contact_id, 'contact ID repeated within the file');
      seen.add(contact.contact_id);
      parsed.contacts.push(contact);
    } catch (error) {
      if (!(error instanceof RowRejected)) throw error;
      parsed.issues.push(issue('reject', file, row, error.field, error.value, error.reason));
    }
  });
  return parsed;
}

function optionKey(value: unknown): string | null {
  if (isJsonObject(value) && typeof value.key === 'string') return value.key;
  return typeof value === 'string' && value !== '' ? value : null;
}

function textList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item) => typeof item === 'string' || typeof item === 'number').map(String);
}

function gridIds(field: string, value: unknown): number[] {
  if (!Array.isArray(value)) return [];
  return value.map((location) => {
    const id = Number(isJsonObject(location) ? location.id : location);
    if (!Number.isSafeInteger(id) || id <= 0) throw new RowRejected(field, location, 'location grid id is not a positive integer');
    return id;
  });
}

function channelValues(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((channel) => (isJsonObject(channel) ? channel.value : channel))
    .filter((text): text is string => typeof text === 'string' && text.trim() !== '');
}

function flag(value: unknown): boolean | null {
  if (value === true || value === '1' || value === 1 || value === 'true') return true;
  if (value === false || value === '0' || value === 0 || value === '' || value === 'false') return false;
  return null;
}

function contactFromPost(post: Json, carried: (dtKey: string) => boolean, labels: DtLabels, now: Date): ContactRow {
  const id = typeof post.ID === 'number' ? String(post.ID) : typeof post.ID === 'string' ? post.ID.trim() : '';
  if (!/^\d+$/.test(id)) throw new RowRejected('ID', post.ID, 'contact without a numeric ID');

  /** A D.T key_select key, with "none"/"not-set" (options labelled "") read as empty, as the CSV shows them. */
  const choice = (dtKey: string): string | null | undefined => {
    if (!carried(dtKey)) return undefined;
    const key = optionKey(post[dtKey]);
    return key === null || labels.optionLabel(dtKey, key) === '' ? null : key;
  };
  const enumChoice = <T extends string>(dtKey: string, allowed: readonly T[]): T | null | undefined => {
    const key = choice(dtKey);
    if (key === undefined || key === null) return key;
    if (!(allowed as readonly string[]).includes(key)) throw new RowRejected(dtKey, key, `unknown ${dtKey} key "${key}"`);
    return key as T;
  };
  const list = (dtKey: string): string[] | undefined => (carried(dtKey) ? textList(post[dtKey]) : undefined);
  const date = (dtKey: string, required = false): Date | null | undefined => {
    if (!carried(dtKey)) return undefined;
    const value = post[dtKey];
    if (value === undefined || value === null || value === '') {
      if (required) throw new RowRejected(dtKey, value, `${dtKey} is missing`);
      return null;
    }
    const parsed = dateFromEpochSeconds(isJsonObject(value) ? value.timestamp : value);
    const problem = dateProblem(parsed, now);
    if (problem) throw new RowRejected(dtKey, value, problem);
    return parsed;
  };
  const counter = (dtKey: string): number | undefined => {
    if (!carried(dtKey)) return undefined;
    const value = post[dtKey];
    if (value === undefined || value === null || value === '') return 0;
    const count = Number(value);
    if (!Number.isSafeInteger(count) || count < 0) throw new RowRejected(dtKey, value, 'counter is not a whole number');
    return count;
  };
  const bool = (dtKey: string): boolean | null | undefined => (carried(dtKey) ? flag(post[dtKey]) : undefined);

  let contactType: ContactType | null | undefined = undefined;
  if (carried('type')) {
    // D.T's "Connection" (access_placeholder) is the shared form of a placeholder contact.
    const key = optionKey(post.type);
    const stored = key === 'access_placeholder' ? 'placeholder' : key;
    if (stored !== null && !(CONTACT_TYPES as readonly string[]).includes(stored)) throw new RowRejected('type', key, `unknown type key "${key}"`);
    contactType = stored as ContactType | null;
  }
  let assignedTo: string | null | undefined = undefined;
  if (carried('assigned_to')) {
    const value = post.assigned_to;
    const raw = isJsonObject(value) ? value.id : value;
    const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.replace(/^user-/, '') : '';
    assignedTo = /^\d+$/.test(text) ? text : null;
  }

  return {
    contact_id: id,
    name: personName(post.name ?? post.post_title),
    created_at: date('post_date', true),
    contact_type: contactType,
    overall_status: enumChoice('overall_status', OVERALL_STATUSES),
    seeker_path: enumChoice('seeker_path', SEEKER_PATHS),
    gender: choice('gender'),
    age_band: choice('age'),
    languages: list('languages'),
    sources: list('sources'),
    campaigns: list('campaigns'),
    tags: list('tags'),
    location_ids: carried('location_grid') ? gridIds('location_grid', post.location_grid) : undefined,
    assigned_to: assignedTo,
    accepted: bool('accepted'),
    requires_update: bool('requires_update'),
    reason_closed: choice('reason_closed'),
    reason_paused: choice('reason_paused'),
    reason_unassignable: choice('reason_unassignable'),
    milestones: list('milestones'),
    faith_status: choice('faith_status'),
    baptism_date: date('baptism_date'),
    attempts_count: counter('quick_button_no_answer'),
    established_count: counter('quick_button_contact_established'),
    scheduled_count: counter('quick_button_meeting_scheduled'),
    met_count: counter('quick_button_meeting_complete'),
    no_show_count: counter('quick_button_no_show'),
    phones: carried('contact_phone') ? channelValues(post.contact_phone) : undefined,
    emails: carried('contact_email') ? channelValues(post.contact_email) : undefined,
    last_modified: date('last_modified'),
  };
}

// ---------------------------------------------------------------------------------------------
// Comments

function parseComments(file: string, json: unknown, now: Date): ParsedFile {
  const comments = expectObject(file, json, 'comments').comments as unknown[];
  const fileContactId = /(?:^|[\\/])contact_(\d+)_comments\.json$/i.exec(file)?.[1] ?? null;
  const parsed = emptyParsed(file, 'dt-rest');
  parsed.rowsRead = comments.length;
  const seen = new Set<string>();
  comments.forEach((comment, index) => {
    const row = index + 1;
    const reject = (field: string | null, value: unknown, reason: string): void => {
      parsed.issues.push(issue('reject', file, row, field, value, reason));
    };
    if (!isJsonObject(comment)) return reject(null, comment, 'comment is not an object');
    const commentId = String(comment.comment_ID ?? '');
    if (!/^\d+$/.test(commentId)) return reject('comment_ID', comment.comment_ID, 'comment without a numeric comment_ID');
    if (seen.has(commentId)) return reject('comment_ID', commentId, 'comment_ID repeated within the file');
    seen.add(commentId);
    const postId = comment.comment_post_ID === undefined ? fileContactId : String(comment.comment_post_ID);
    if (postId === null || !/^\d+$/.test(postId)) {
      throw new ImportRefused(`${file}: comments must carry comment_post_ID or come in a file named contact_{ID}_comments.json`, file, row);
    }
    if (fileContactId !== null && postId !== fileContactId) {
      return reject('comment_post_ID', postId, `comment belongs to contact ${postId}, but the file is named for contact ${fileContactId}`);
    }
    // comment_date is the site's local time; comment_date_gmt is UTC.
    const occurredAt = typeof comment.comment_date_gmt === 'string' ? dateFromDtText(comment.comment_date_gmt) : null;
    const problem = dateProblem(occurredAt, now);
    if (problem) return reject('comment_date_gmt', comment.comment_date_gmt, problem);
    const userId = String(comment.user_id ?? '');
    const event: EventRow = {
      event_id: `dt:comment:${commentId}`,
      contact_id: postId,
      occurred_at: occurredAt!,
      kind: 'comment',
      actor_name: personName(comment.comment_author),
      actor_id: /^[1-9]\d*$/.test(userId) ? userId : null,
      field: typeof comment.comment_type === 'string' && comment.comment_type !== 'comment' ? comment.comment_type : null,
      note: typeof comment.comment_content === 'string' ? redact(comment.comment_content) : null,
    };
    parsed.events.push(event);
  });
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// Users: every D.T user becomes a multiplier row with its roles; reports pick the workers by role.
// No user's e-mail is kept: not the user_email fields, nor a login or name that is an address.

type UserRowBuilder = (user: Json) => MultiplierRow;

function userId(value: unknown): string {
  const id = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d+$/.test(id)) throw new RowRejected('ID', value, 'user without a numeric ID');
  return id;
}

function optionalText(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function loginName(value: unknown): string | null {
  const text = optionalText(value);
  return text === null || text.includes('@') ? null : text;
}

/** WordPress roles come as ["multiplier"], as {"multiplier": true}, or PHP-serialised: a:1:{s:10:"multiplier";b:1;}. */
function roles(value: unknown): string[] {
  if (Array.isArray(value)) return textList(value);
  if (isJsonObject(value)) return Object.entries(value).filter(([, on]) => on === true).map(([role]) => role);
  if (typeof value === 'string') return [...value.matchAll(/s:\d+:"([^"]+)";b:1;/g)].map((m) => m[1]!);
  return [];
}

const usersTableRow: UserRowBuilder = (user) => ({
  user_id: userId(user.ID),
  display_name: personName(user.display_name),
  login: loginName(user.user_login),
  roles: roles(user.capabilities ?? user.roles),
  user_status: optionalText(user.user_status),
  languages: textList(user.user_languages),
  location_ids: gridIds('location_grid', user.location_grid),
  workload_status: optionalText(user.workload_status),
});

// This endpoint reports only whether a user has locations (true/false), so locations stay undefined.
const usersByIdRow: UserRowBuilder = (user) => ({
  user_id: userId(user.ID),
  display_name: personName(user.display_name),
  roles: roles(user.roles),
  user_status: optionalText(user.user_status),
  workload_status: optionalText(user.workload_status),
});

// The assign-to typeahead: names only (its status_color follows a customisable colour setting).
const typeaheadRow: UserRowBuilder = (user) => ({
  user_id: userId(user.ID),
  display_name: personName(user.name),
});

/** Unavailability is planned ahead, so these dates are checked for readability only, not "not in the future". */
function unavailableRanges(value: unknown): UnavailableRange[] {
  if (!Array.isArray(value)) return [];
  const read = (date: unknown): Date | null =>
    typeof date === 'string' ? dateFromDtText(date) ?? dateFromEpochSeconds(date) : dateFromEpochSeconds(date);
  return value.map((range) => {
    const start = isJsonObject(range) ? read(range.start_date) : null;
    const end = isJsonObject(range) ? read(range.end_date) : null;
    if (start === null || end === null || start > end) throw new RowRejected('dates_unavailable', range, 'unreadable unavailable date range');
    return { start_date: start, end_date: end };
  });
}

const userDetailsRow: UserRowBuilder = (user) => ({
  user_id: userId(user.user_id),
  display_name: personName(user.display_name),
  roles: roles(user.roles),
  user_status: optionalText(user.user_status),
  gender: optionalText(user.gender),
  languages: textList(user.languages),
  location_ids: gridIds('user_location', isJsonObject(user.user_location) ? user.user_location.location_grid : []),
  workload_status: optionalText(user.workload_status),
  unavailable: unavailableRanges(user.dates_unavailable),
});

function parseUsers(file: string, users: unknown[], build: UserRowBuilder): ParsedFile {
  const parsed = emptyParsed(file, 'dt-rest');
  parsed.rowsRead = users.length;
  const seen = new Set<string>();
  users.forEach((user, index) => {
    const row = index + 1;
    try {
      if (!isJsonObject(user)) throw new RowRejected('ID', user, 'user is not an object');
      const multiplier = build(user);
      if (seen.has(multiplier.user_id)) throw new RowRejected('ID', multiplier.user_id, 'user ID repeated within the file');
      seen.add(multiplier.user_id);
      parsed.multipliers.push(multiplier);
    } catch (error) {
      if (!(error instanceof RowRejected)) throw error;
      parsed.issues.push(issue('reject', file, row, error.field, error.value, error.reason));
    }
  });
  return parsed;
}
