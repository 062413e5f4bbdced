// D.T's location grid (the dt_location_grid table): what the location_grid ids in contacts and
// users mean. Read both as a table dump with a header row (the sample's location_grid.tsv) and as
// D.T's own download (dt_location_grid.tsv, no header, the table's columns in order). MySQL
// writes NULL for empty cells.
import type { LocationRow, ParsedFile } from './types.ts';
import { ImportRefused, emptyParsed } from './types.ts';
import { issue } from './dt-values.ts';

/** dt_location_grid's columns in table order, the order of D.T's headerless download. */
const GRID_COLUMNS = [
  'grid_id', 'name', 'level', 'level_name', 'country_code', 'admin0_code', 'parent_id',
  'admin0_grid_id', 'admin1_grid_id', 'admin2_grid_id', 'admin3_grid_id', 'admin4_grid_id', 'admin5_grid_id',
  'longitude', 'latitude', 'north_latitude', 'south_latitude', 'east_longitude', 'west_longitude',
  'population', 'modification_date', 'alt_name', 'alt_population', 'is_custom_location', 'alt_name_changed',
];

function isGridRow(cells: string[]): boolean {
  return cells.length >= 7 && /^\d+$/.test(cells[0] ?? '') && /^-?\d+$/.test(cells[2] ?? '');
}

export function detectLocationGrid(fileName: string, firstLine: string): boolean {
  const cells = firstLine.replace(/^\uFEFF/, '').split('\t');
  if (cells[0] === 'grid_id' && cells.includes('name')) return true;
  return /location_grid/i.test(fileName) && isGridRow(cells);
}

function cell(cells: string[], index: number | undefined): string | null {
  if (index === undefined) return null;
  const value = cells[index]?.trim();
  return value === undefined || value === '' || value === 'NULL' ? null : value;
}

export function parseLocationGrid(file: string, text: string): ParsedFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = lines[0]?.split('\t') ?? [];
  const hasHeader = first[0] === 'grid_id';
  const columns = hasHeader ? first.map((name) => name.trim()) : GRID_COLUMNS;
  if (!hasHeader && !isGridRow(first)) {
    throw new ImportRefused(`${file}: not a D.T location grid (expected a grid_id header or rows starting with a grid id)`, file, 1);
  }
  for (const required of ['grid_id', 'name']) {
    if (!columns.includes(required)) throw new ImportRefused(`${file}: location grid without a ${required} column`, file, 1, required);
  }
  const at = (name: string): number | undefined => {
    const index = columns.indexOf(name);
    return index < 0 ? undefined : index;
  };
  const parsed = emptyParsed(file, 'location-grid');
  const seen = new Set<number>();
  const dataLines = hasHeader ? lines.slice(1) : lines;
  dataLines.forEach((line, index) => {
    if (line.trim() === '') return;
    const row = index + 1;
    parsed.rowsRead += 1;
    const cells = line.split('\t');
    const reject = (field: string, value: unknown, reason: string): void => {
      parsed.issues.push(issue('reject', file, row, field, value, reason));
    };
    const number = (name: string, integer: boolean): number | null | 'bad' => {
      const value = cell(cells, at(name));
      if (value === null) return null;
      const parsedNumber = Number(value);
      if (!Number.isFinite(parsedNumber) || (integer && !Number.isSafeInteger(parsedNumber))) return 'bad';
      return parsedNumber;
    };
    const id = number('grid_id', true);
    if (id === null || id === 'bad' || id <= 0) return reject('grid_id', cell(cells, at('grid_id')), 'grid_id is not a positive integer');
    if (seen.has(id)) return reject('grid_id', id, 'grid_id repeated within the file');
    // D.T shows alt_name (an admin's renaming) wherever it names a place, e.g. in contacts'
    // location labels and in activity notes, so that is the name the other files will use.
    const name = cell(cells, at('alt_name')) ?? cell(cells, at('name'));
    if (name === null) return reject('name', null, 'location without a name');
    const values: Partial<Record<'level' | 'parent_id' | 'longitude' | 'latitude' | 'population', number | null>> = {};
    for (const [field, integer] of [['level', true], ['parent_id', true], ['longitude', false], ['latitude', false], ['population', true]] as const) {
      const value = number(field, integer);
      if (value === 'bad') return reject(field, cell(cells, at(field)), `${field} is not a number`);
      values[field] = value;
    }
    seen.add(id);
    const location: LocationRow = {
      location_id: id,
      name,
      level: values.level ?? null,
      level_name: cell(cells, at('level_name')),
      // A country's parent is D.T's world row, id 1, kept as D.T has it.
      parent_id: values.parent_id ?? null,
      country_code: cell(cells, at('country_code')),
      longitude: values.longitude ?? null,
      latitude: values.latitude ?? null,
      population: values.population ?? null,
    };
    parsed.locations.push(location);
  });
  return parsed;
}
