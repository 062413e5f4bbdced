// D.T stores keys ("closed") but shows people labels ("Archived"): the CSV export and the activity
// notes carry only labels, and field names ("Reason Archived" is reason_closed). These maps turn
// them back into keys. They come from the instance's own contacts_settings.json when the import
// has it (custom options and renamed labels), over D.T 1.81's default labels built in here, so a
// CSV of an instance with default settings still imports on its own.
import type { LocationRow } from './types.ts';
import { isJsonObject } from './dt-values.ts';

export interface DtField {
  key: string;
  /** The label people see, e.g. "Seeker Path". */
  name: string;
  /** D.T field type: key_select, multi_select, tags, boolean, number, date, location, ... */
  type: string;
  /** Option key -> label, in D.T's order (key_select and multi_select). */
  options: ReadonlyMap<string, string>;
}

export interface DtLabels {
  field(fieldKey: string): DtField | undefined;
  /** "Seeker Path" -> "seeker_path"; "Reason Archived" -> "reason_closed". */
  fieldKey(fieldName: string): string | undefined;
  optionLabel(fieldKey: string, optionKey: string): string | undefined;
  /** "Archived" -> "closed" for overall_status. Options whose label is empty ("none", "not-set") are never matched. */
  optionKey(fieldKey: string, label: string): string | undefined;
  /** Location grid name -> id, known when the import carries location_grid.tsv. */
  locationId(name: string): number | undefined;
}

type Options = ReadonlyArray<readonly [key: string, label: string]>;

// D.T 1.81.1's default contact fields (theme settings without customisation), as the sample
// instance's settings show them minus its added sources and languages.
const DEFAULT_FIELDS: ReadonlyArray<readonly [key: string, name: string, type: string, options?: Options]> = [
  ['name', 'Name', 'text'],
  ['record_picture', 'Picture', 'image'],
  ['last_modified', 'Last Modified', 'date'],
  ['post_date', 'Creation Date', 'date'],
  ['favorite', 'Favorite', 'boolean'],
  ['tags', 'Tags', 'tags'],
  ['follow', 'Follow', 'multi_select'],
  ['unfollow', 'Un-Follow', 'multi_select'],
  ['tasks', 'Tasks', 'task'],
  ['notes', 'Notes', 'array'],
  ['location_grid', 'Locations', 'location'],
  ['location_grid_meta', 'Locations or Address', 'location_meta'],
  ['nickname', 'Nickname', 'text'],
  ['type', 'Contact Type', 'key_select', [
    ['user', 'User'], ['personal', 'Private Contact'], ['access', 'Standard Contact'],
    ['access_placeholder', 'Connection'], ['placeholder', 'Private Connection'],
  ]],
  ['duplicate_data', 'Duplicates', 'array'],
  ['duplicate_of', 'Duplicate of', 'text'],
  ['languages', 'Languages', 'multi_select', [['en', 'English'], ['fr', 'French'], ['es', 'Spanish']]],
  ['contact_phone', 'Phone', 'communication_channel'],
  ['contact_email', 'Email', 'communication_channel'],
  ['contact_address', 'Address', 'communication_channel'],
  ['contact_facebook', 'Facebook', 'communication_channel'],
  ['contact_other', 'Other Social Links', 'communication_channel'],
  ['relation', 'Connections to other Contacts', 'connection'],
  ['gender', 'Gender', 'key_select', [['male', 'Male'], ['female', 'Female']]],
  ['age', 'Age', 'key_select', [
    ['not-set', ''], ['<19', 'Under 18 years old'], ['<26', '18-25 years old'], ['<41', '26-40 years old'], ['>41', 'Over 40 years old'],
  ]],
  ['requires_update', 'Requires Update', 'boolean'],
  ['overall_status', 'Contact Status', 'key_select', [
    ['new', 'New Contact'], ['unassignable', 'Not Ready'], ['unassigned', 'Dispatch Needed'],
    ['assigned', 'Waiting to be accepted'], ['active', 'Active'], ['paused', 'Paused'], ['closed', 'Archived'],
  ]],
  ['assigned_to', 'Assigned To', 'user_select'],
  ['subassigned', 'Sub-assigned to', 'connection'],
  ['subassigned_on', 'Sub-assigned on other Contacts', 'connection'],
  ['sources', 'Sources', 'multi_select', [['personal', 'Personal'], ['web', 'Web'], ['transfer', 'Transfer']]],
  ['milestones', 'Faith Milestones', 'multi_select', [
    ['milestone_has_bible', 'Has Bible'], ['milestone_reading_bible', 'Reading Bible'], ['milestone_belief', 'States Belief'],
    ['milestone_can_share', 'Can Share Gospel/Testimony'], ['milestone_sharing', 'Sharing Gospel/Testimony'],
    ['milestone_baptized', 'Baptized'], ['milestone_baptizing', 'Baptizing'], ['milestone_in_group', 'In Church/Group'],
    ['milestone_planting', 'Starting Churches'],
  ]],
  ['faith_status', 'Faith Status', 'key_select', [['seeker', 'Seeker'], ['believer', 'Believer'], ['leader', 'Leader']]],
  ['coaching', 'Is Coaching', 'connection'],
  ['coached_by', 'Coached by', 'connection'],
  ['baptism_date', 'Baptism Date', 'date'],
  ['baptism_generation', 'Baptism Generation', 'number'],
  ['baptized_by', 'Baptized by', 'connection'],
  ['baptized', 'Baptized', 'connection'],
  ['groups', 'Groups', 'connection'],
  ['group_leader', 'Leader of Group', 'connection'],
  ['group_coach', 'Coach of Group', 'connection'],
  ['people_groups', 'People Groups', 'connection'],
  ['corresponds_to_user', 'Corresponds to user', 'number'],
  ['corresponds_to_user_name', 'Corresponds to user_name', 'text'],
  ['seeker_path', 'Seeker Path', 'key_select', [
    ['none', 'Contact Attempt Needed'], ['attempted', 'Contact Attempted'], ['established', 'Contact Established'],
    ['scheduled', 'First Meeting Scheduled'], ['met', 'First Meeting Complete'], ['ongoing', 'Ongoing Meetings'],
    ['coaching', 'Being Coached'],
  ]],
  ['reason_unassignable', 'Reason Not Ready', 'key_select', [
    ['none', ''], ['insufficient', 'Insufficient Contact Information'], ['location', 'Unknown Location'],
    ['media', 'Only wants media'], ['outside_area', 'Outside Area'], ['needs_review', 'Needs Review'],
    ['awaiting_confirmation', 'Waiting for Confirmation'],
  ]],
  ['reason_paused', 'Reason Paused', 'key_select', [
    ['none', ''], ['vacation', 'Contact on vacation'], ['not_responding', 'Contact not responding'],
    ['not_available', 'Contact not available'], ['little_interest', 'Contact has little interest/hunger'],
    ['no_initiative', 'Contact shows no initiative'], ['questionable_motives', 'Contact has questionable motives'],
    ['ball_in_their_court', "Ball is in the contact's court"],
    ['wait_and_see', 'We want to see if/how the contact responds to automated text messages'],
  ]],
  ['reason_closed', 'Reason Archived', 'key_select', [
    ['none', ''], ['duplicate', 'Duplicate'], ['insufficient', 'Insufficient contact info'],
    ['denies_submission', 'Denies submitting contact request'], ['hostile_self_gain', 'Hostile, playing games or self gain'],
    ['apologetics', 'Only wants to argue or debate'], ['media_only', 'Just wanted media or book'],
    ['no_longer_interested', 'No longer interested'], ['no_longer_responding', 'No longer responding'],
    ['already_connected', 'Already in church or connected with others'], ['transfer', 'Transferred contact to partner'],
    ['martyred', 'Martyred'], ['moved', 'Moved or relocated'], ['gdpr', 'GDPR request'], ['unknown', 'Unknown'],
  ]],
  ['accepted', 'Accepted', 'boolean'],
  ['campaigns', 'Campaigns', 'tags'],
  ['quick_button_no_answer', 'Contact Attempted', 'number'],
  ['quick_button_contact_established', 'Contact Established', 'number'],
  ['quick_button_meeting_scheduled', 'Meeting Scheduled', 'number'],
  ['quick_button_meeting_complete', 'Meeting Complete', 'number'],
  ['quick_button_no_show', 'Meeting No-show', 'number'],
];

/** contacts_settings.json: `GET /dt-posts/v2/contacts/settings` (a `fields` object, post_type contacts). */
export function isDtSettings(json: unknown): boolean {
  if (!isJsonObject(json) || !isJsonObject(json.fields)) return false;
  if (json.post_type !== undefined && json.post_type !== 'contacts') return false;
  return json.post_type === 'contacts' || isJsonObject(json.tiles);
}

function settingsOptions(definition: Record<string, unknown>): Map<string, string> {
  const options = new Map<string, string>();
  if (!isJsonObject(definition.default)) return options;
  for (const [key, option] of Object.entries(definition.default)) {
    if (!isJsonObject(option)) continue;
    options.set(key, typeof option.label === 'string' ? option.label : key);
  }
  return options;
}

export function buildDtLabels(settingsJson: unknown | null, locations: readonly LocationRow[] = []): DtLabels {
  if (settingsJson !== null && settingsJson !== undefined && !isDtSettings(settingsJson)) {
    throw new Error('buildDtLabels expects the D.T contacts settings (GET /dt-posts/v2/contacts/settings) or null');
  }
  const fields = new Map<string, DtField>();
  for (const [key, name, type, options] of DEFAULT_FIELDS) {
    fields.set(key, { key, name, type, options: new Map(options ?? []) });
  }
  // The instance's settings win: renamed labels and added options. Default options it no longer
  // lists stay known, since old activity notes still name them.
  const settingsFields = isJsonObject(settingsJson) && isJsonObject(settingsJson.fields) ? settingsJson.fields : {};
  for (const [key, definition] of Object.entries(settingsFields)) {
    if (!isJsonObject(definition)) continue;
    const known = fields.get(key);
    const options = new Map(known?.options ?? []);
    for (const [optionKey, label] of settingsOptions(definition)) options.set(optionKey, label);
    fields.set(key, {
      key,
      name: typeof definition.name === 'string' ? definition.name : known?.name ?? key,
      type: typeof definition.type === 'string' ? definition.type : known?.type ?? 'text',
      options,
    });
  }

  const fieldByName = new Map<string, string>();
  const fieldByLowerName = new Map<string, string>();
  const optionByLabel = new Map<string, Map<string, string>>();
  const optionByLowerLabel = new Map<string, Map<string, string>>();
  for (const field of fields.values()) {
    if (!fieldByName.has(field.name)) fieldByName.set(field.name, field.key);
    if (!fieldByLowerName.has(field.name.toLowerCase())) fieldByLowerName.set(field.name.toLowerCase(), field.key);
    const exact = new Map<string, string>();
    const lower = new Map<string, string>();
    for (const [key, label] of field.options) {
      if (label === '') continue;
      if (!exact.has(label)) exact.set(label, key);
      if (!lower.has(label.toLowerCase())) lower.set(label.toLowerCase(), key);
    }
    optionByLabel.set(field.key, exact);
    optionByLowerLabel.set(field.key, lower);
  }
  const locationByName = new Map<string, number>();
  for (const location of locations) {
    if (!locationByName.has(location.name)) locationByName.set(location.name, location.location_id);
  }

  return {
    field: (fieldKey) => fields.get(fieldKey),
    fieldKey: (fieldName) => {
      const name = fieldName.trim();
      return fieldByName.get(name) ?? fieldByLowerName.get(name.toLowerCase());
    },
    optionLabel: (fieldKey, optionKey) => fields.get(fieldKey)?.options.get(optionKey),
    optionKey: (fieldKey, label) => {
      const text = label.trim();
      if (text === '') return undefined;
      return optionByLabel.get(fieldKey)?.get(text) ?? optionByLowerLabel.get(fieldKey)?.get(text.toLowerCase());
    },
    locationId: (name) => locationByName.get(name.trim()),
  };
}
