// The D.T list page's "Export → CSV List" (built in the browser by modular-list-exports.js):
// UTF-8 with BOM, every cell quoted, LF, no trailing newline, and labels where the API has keys:
// "Archived" for closed, "Phone Call;Web" for sources, field names as column headers. Labels are
// turned back into keys through DtLabels; a label it does not know rejects the row rather than
// storing a label where a key belongs. Only columns in the file are set: the "visible fields"
// export has 8 columns, and every other field stays undefined so the loader keeps what it has.
import { CsvError, parse } from 'csv-parse/sync';
import type { ContactRow, ContactType, ParsedFile } from './types.ts';
import { CONTACT_TYPES, ImportRefused, OVERALL_STATUSES, SEEKER_PATHS, emptyParsed } from './types.ts';
import type { DtLabels } from './dt-labels.ts';
import type { DtParseOptions } from './dt-activity.ts';
import { RowRejected, dateFromDtText, dateProblem, issue, personName } from './dt-values.ts';

/**
 * D.T's list export starts "ID","Name" (Handoff's canonical CSV says contact_id instead). A
 * translated instance names the second column in its language, so there the browser's download
 * name, contacts_list_export, must vouch for it.
 */
export function detectDtCsv(fileName: string, firstBytes: string | Uint8Array): boolean {
  const text = typeof firstBytes === 'string' ? firstBytes : Buffer.from(firstBytes).toString('utf8');
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
  if (!/^"?ID"?,/.test(header)) return false;
  return /^"?ID"?,"?Name"?(,|$)/.test(header) || /contacts?_list_export/i.test(fileName);
}

type Cell = string;
/** Reads one cell into the contact; throws RowRejected for a value it cannot take. */
type ColumnReader = (contact: ContactRow, cell: Cell) => void;

function splitValues(cell: Cell): string[] {
  return cell.split(';').map((value) => value.trim()).filter((value) => value !== '');
}

function columnReaders(file: string, header: string[], labels: DtLabels, now: Date): { idColumn: number; readers: (ColumnReader | null)[] } {
  const fieldsSeen = new Set<string>();
  let idColumn = -1;

  const labelToKey = (fieldKey: string, label: string): string => {
    const key = labels.optionKey(fieldKey, label);
    if (key === undefined) throw new RowRejected(fieldKey, label, `unknown ${labels.field(fieldKey)?.name ?? fieldKey} label "${label}"`);
    return key;
  };
  const choice = (fieldKey: string) => (cell: Cell): string | null => (cell.trim() === '' ? null : labelToKey(fieldKey, cell));
  const enumChoice = <T extends string>(fieldKey: string, allowed: readonly T[]) => (cell: Cell): T | null => {
    const key = choice(fieldKey)(cell);
    if (key !== null && !(allowed as readonly string[]).includes(key)) throw new RowRejected(fieldKey, cell, `"${cell}" is not a known ${fieldKey} value`);
    return key as T | null;
  };
  const day = (fieldKey: string, required = false) => (cell: Cell): Date | null => {
    if (cell.trim() === '') {
      if (required) throw new RowRejected(fieldKey, cell, `${fieldKey} is missing`);
      return null;
    }
    const date = dateFromDtText(cell);
    const problem = dateProblem(date, now);
    if (problem) throw new RowRejected(fieldKey, cell, problem);
    return date;
  };
  const counter = (fieldKey: string) => (cell: Cell): number => {
    // The export leaves a counter empty until its button is first used: D.T's default 0.
    if (cell.trim() === '') return 0;
    if (!/^\d+$/.test(cell.trim())) throw new RowRejected(fieldKey, cell, 'counter is not a whole number');
    return Number(cell);
  };
  const flag = (fieldKey: string) => (cell: Cell): boolean => {
    // The export writes true, or nothing for false.
    if (cell.trim() === '') return false;
    if (cell.trim().toLowerCase() === 'true') return true;
    throw new RowRejected(fieldKey, cell, 'expected "true" or an empty cell');
  };
  const contactType = (cell: Cell): ContactType | null => {
    const key = choice('type')(cell);
    // D.T's "Connection" (access_placeholder) is the shared form of a placeholder contact.
    const stored = key === 'access_placeholder' ? 'placeholder' : key;
    if (stored !== null && !(CONTACT_TYPES as readonly string[]).includes(stored)) throw new RowRejected('type', cell, `"${cell}" is not a known contact type`);
    return stored as ContactType | null;
  };

  const readerFor = (fieldKey: string): ColumnReader | null => {
    switch (fieldKey) {
      case 'name': return (c, cell) => { c.name = personName(cell); };
      case 'post_date': return (c, cell) => { c.created_at = day('post_date', true)(cell); };
      case 'last_modified': return (c, cell) => { c.last_modified = day('last_modified')(cell); };
      case 'baptism_date': return (c, cell) => { c.baptism_date = day('baptism_date')(cell); };
      case 'type': return (c, cell) => { c.contact_type = contactType(cell); };
      case 'overall_status': return (c, cell) => { c.overall_status = enumChoice('overall_status', OVERALL_STATUSES)(cell); };
      case 'seeker_path': return (c, cell) => { c.seeker_path = enumChoice('seeker_path', SEEKER_PATHS)(cell); };
      case 'gender': return (c, cell) => { c.gender = choice('gender')(cell); };
      case 'age': return (c, cell) => { c.age_band = choice('age')(cell); };
      case 'faith_status': return (c, cell) => { c.faith_status = choice('faith_status')(cell); };
      case 'reason_closed': return (c, cell) => { c.reason_closed = choice('reason_closed')(cell); };
      case 'reason_paused': return (c, cell) => { c.reason_paused = choice('reason_paused')(cell); };
      case 'reason_unassignable': return (c, cell) => { c.reason_unassignable = choice('reason_unassignable')(cell); };
      case 'languages': return (c, cell) => { c.languages = splitValues(cell).map((label) => labelToKey('languages', label)); };
      case 'sources': return (c, cell) => { c.sources = splitValues(cell).map((label) => labelToKey('sources', label)); };
      case 'milestones': return (c, cell) => { c.milestones = splitValues(cell).map((label) => labelToKey('milestones', label)); };
      case 'tags': return (c, cell) => { c.tags = splitValues(cell); };
      case 'campaigns': return (c, cell) => { c.campaigns = splitValues(cell); };
      // A display name: the loader resolves it against the multipliers.
      case 'assigned_to': return (c, cell) => { c.assigned_to_name = cell.trim() === '' ? null : cell.trim(); };
      case 'accepted': return (c, cell) => { c.accepted = flag('accepted')(cell); };
      case 'requires_update': return (c, cell) => { c.requires_update = flag('requires_update')(cell); };
      case 'quick_button_no_answer': return (c, cell) => { c.attempts_count = counter(fieldKey)(cell); };
      case 'quick_button_contact_established': return (c, cell) => { c.established_count = counter(fieldKey)(cell); };
      case 'quick_button_meeting_scheduled': return (c, cell) => { c.scheduled_count = counter(fieldKey)(cell); };
      case 'quick_button_meeting_complete': return (c, cell) => { c.met_count = counter(fieldKey)(cell); };
      case 'quick_button_no_show': return (c, cell) => { c.no_show_count = counter(fieldKey)(cell); };
      case 'contact_phone': return (c, cell) => { c.phones = splitValues(cell); };
      case 'contact_email': return (c, cell) => { c.emails = splitValues(cell); };
      // Known D.T fields Handoff does not store (connections, nickname, address, social links, ...);
      // "Locations" holds names, and the ids come from its "Locations [ID]" column.
      default: return null;
    }
  };

  const readers = header.map((column, index): ColumnReader | null => {
    const name = column.trim();
    const fieldKey = name === 'ID' ? 'ID' : name === 'Locations [ID]' ? 'location_ids' : labels.fieldKey(name);
    if (fieldKey === undefined) {
      throw new ImportRefused(
        `${file}: unknown column "${name}" (not a D.T contact field; import the instance's contacts_settings.json with the CSV if it has custom fields)`,
        file, 1, name,
      );
    }
    if (fieldsSeen.has(fieldKey)) throw new ImportRefused(`${file}: column "${name}" appears twice`, file, 1, name);
    fieldsSeen.add(fieldKey);
    if (fieldKey === 'ID') {
      idColumn = index;
      return null;
    }
    if (fieldKey === 'location_ids') {
      return (c, cell) => {
        c.location_ids = splitValues(cell).map((id) => {
          if (!/^\d+$/.test(id)) throw new RowRejected('location_ids', cell, 'location grid id is not a positive integer');
          return Number(id);
        });
      };
    }
    return readerFor(fieldKey);
  });
  if (idColumn < 0) throw new ImportRefused(`${file}: no ID column, so rows cannot be matched to contacts`, file, 1, 'ID');
  return { idColumn, readers };
}

function readCsv(file: string, text: string): string[][] {
  if (text.replace(/^\uFEFF/, '').trim() === '') throw new ImportRefused(`${file}: the file is empty`, file);
  try {
    return parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true });
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : null;
      throw new ImportRefused(`${file}: not a readable CSV${line ? ` at line ${line}` : ''} (${error.message}); the file may be truncated`, file, line);
    }
    throw error;
  }
}

export function parseDtCsv(file: string, text: string, labels: DtLabels, options: DtParseOptions = {}): ParsedFile {
  const now = options.now ?? new Date();
  const [header, ...rows] = readCsv(file, text);
  const { idColumn, readers } = columnReaders(file, header!, labels, now);
  const parsed = emptyParsed(file, 'dt-csv');
  parsed.rowsRead = rows.length;
  const seen = new Set<string>();
  rows.forEach((cells, index) => {
    const row = index + 1;
    try {
      if (cells.length !== header!.length) {
        throw new RowRejected(null, null, `row has ${cells.length} cells, the header has ${header!.length}`);
      }
      const id = (cells[idColumn] ?? '').trim();
      if (!/^\d+$/.test(id)) throw new RowRejected('ID', id, 'contact without a numeric ID');
      if (seen.has(id)) throw new RowRejected('ID', id, 'contact ID repeated within the file');
      const contact: ContactRow = { contact_id: id };
      readers.forEach((read, column) => {
        try {
          read?.(contact, cells[column] ?? '');
        } catch (error) {
          // Name the column as the file does, so a person can find it.
          if (error instanceof RowRejected) throw new RowRejected(header![column] ?? error.field, error.value, error.reason);
          throw error;
        }
      });
      seen.add(id);
      parsed.contacts.push(contact);
    } catch (error) {
      if (!(error instanceof RowRejected)) throw error;
      parsed.issues.push(issue('reject', file, row, error.field, error.value, error.reason));
    }
  });
  return parsed;
}
