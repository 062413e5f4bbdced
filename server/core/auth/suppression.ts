// Small-count suppression for the aggregate reports that marketers and leaders get.
//
// A report declares what each of its columns is (see SuppressionSpec) and which of its numbers add up
// to which. From that this module:
//   1. removes identifying columns (contact ids, names, free text) entirely;
//   2. primary suppression: every count below the threshold (default 5, zero included) becomes "<5";
//   3. secondary (complementary) suppression: hides more counts, shown as "hidden", until no
//      suppressed count can be recomputed from the published ones and the declared sums (row totals,
//      column totals, totals known from elsewhere), and no "<5" count is pinned to one value by bounds;
//   4. hides every measure (rate, share, median...) derived from a suppressed count.
// It is a pure function: rows in, rows out. See README.md for the design and its limits.
import type { ReportLevel, Role } from './roles.ts';
import { reportAccess } from './roles.ts';

export type ColumnKind = 'dimension' | 'count' | 'measure' | 'identifying';

export interface ColumnDecl {
  name: string;
  /** dimension: a label to group by (city, month, source); kept.
   *  count: a number of seekers (or of anything small enough to identify someone); suppressed when small.
   *  measure: anything computed from counts (rate, share, median latency); hidden when a count it comes from is.
   *  identifying: contact ids, names, phone hashes, free text; never leaves the server for these roles. */
  kind: ColumnKind;
  /** measure only, required: the count (or measure) columns of the same row it is computed from. `[]` states
   *  explicitly that it does not depend on any seeker count. */
  derivedFrom?: readonly string[];
  /** measure only: the measure is also computed from the group total of its derivedFrom counts over these
   *  dimensions (a share of the total). It is hidden when that total is. Must match a declared partition. */
  ofTotalOver?: readonly string[];
}

/** The values of the `over` dimensions split the rows into disjoint, exhaustive parts: for every combination
 *  of the other dimensions, the counts of the rows whose `over` dimensions are all real values add up to the
 *  row whose `over` dimensions are all the total marker.
 *  total 'known' (default, the safe choice): when the table has no such total row, assume the total is known
 *  anyway (a headline, a sibling breakdown, another report).
 *  total 'row': only totals present as rows count (use for hierarchies where a missing total row means the
 *  sum is not published, e.g. a city row whose admin-level total is a different row). */
export interface RowPartition {
  over: readonly string[];
  total?: 'known' | 'row';
}

/** In every row, the `parts` count columns add up to the `total` count column. Without `total` the sum is
 *  assumed known from elsewhere (e.g. a by-gender table whose row totals appear in another table). */
export interface ColumnSum {
  parts: readonly string[];
  total?: string;
}

export interface SuppressionSpec {
  columns: readonly ColumnDecl[];
  partitions?: readonly RowPartition[];
  columnSums?: readonly ColumnSum[];
  /** The value a dimension holds in a total row. Default ALL, '(all)'. */
  totalMarker?: string;
}

export interface SuppressionOptions {
  /** Counts below this are suppressed. Default 5. */
  threshold?: number;
}

export type Row = Record<string, unknown>;

export interface SuppressionResult {
  /** The declared columns that were kept (identifying ones removed). */
  columns: ColumnDecl[];
  rows: Row[];
  /** Counts shown as "<5". */
  primary: number;
  /** Counts hidden to protect the small ones. */
  secondary: number;
  /** Measures hidden because a count they come from is hidden. */
  derived: number;
  /** True when no safe pattern was found and every count and measure was hidden. */
  withheld: boolean;
}

export const ALL = '(all)';
export const DEFAULT_THRESHOLD = 5;
/** Shown instead of a count or measure hidden by secondary suppression (its value is >= the threshold). */
export const HIDDEN = 'hidden';
export const smallCountMarker = (threshold = DEFAULT_THRESHOLD): string => `<${threshold}`;

export class SuppressionSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SuppressionSpecError';
  }
}

// ---- declaration checks -------------------------------------------------------------------------

/** Throws SuppressionSpecError when a declaration is inconsistent. Cheap; the report registry calls it at start. */
export function validateSuppressionSpec(spec: SuppressionSpec): void {
  const byName = new Map<string, ColumnDecl>();
  for (const column of spec.columns) {
    if (byName.has(column.name)) throw new SuppressionSpecError(`column ${column.name} declared twice`);
    if (!['dimension', 'count', 'measure', 'identifying'].includes(column.kind)) throw new SuppressionSpecError(`column ${column.name}: unknown kind`);
    byName.set(column.name, column);
  }
  const kindOf = (name: string): ColumnKind | undefined => byName.get(name)?.kind;
  for (const column of spec.columns) {
    if (column.kind === 'measure') {
      if (!Array.isArray(column.derivedFrom)) throw new SuppressionSpecError(`measure ${column.name} must declare derivedFrom (use [] if it depends on no count)`);
      for (const source of column.derivedFrom) {
        const kind = kindOf(source);
        if (kind !== 'count' && kind !== 'measure') throw new SuppressionSpecError(`measure ${column.name}: derivedFrom ${source} is not a count or measure column`);
      }
      if (column.ofTotalOver !== undefined && !(spec.partitions ?? []).some((p) => sameSet(p.over, column.ofTotalOver ?? []))) {
        throw new SuppressionSpecError(`measure ${column.name}: ofTotalOver does not match a declared partition`);
      }
    } else if (column.derivedFrom !== undefined || column.ofTotalOver !== undefined) {
      throw new SuppressionSpecError(`column ${column.name}: only measures have derivedFrom/ofTotalOver`);
    }
  }
  measureOrder(spec); // throws on cycles
  for (const partition of spec.partitions ?? []) {
    if (partition.over.length === 0) throw new SuppressionSpecError('a partition needs at least one dimension');
    for (const name of partition.over) if (kindOf(name) !== 'dimension') throw new SuppressionSpecError(`partition over ${name}: not a dimension column`);
  }
  for (const sum of spec.columnSums ?? []) {
    if (sum.parts.length === 0) throw new SuppressionSpecError('a column sum needs parts');
    for (const name of sum.parts) if (kindOf(name) !== 'count') throw new SuppressionSpecError(`column sum part ${name}: not a count column`);
    if (sum.total !== undefined) {
      if (kindOf(sum.total) !== 'count') throw new SuppressionSpecError(`column sum total ${sum.total}: not a count column`);
      if (sum.parts.includes(sum.total)) throw new SuppressionSpecError(`column sum total ${sum.total} is also a part`);
    }
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** Measures in an order where each comes after the measures it is derived from. */
function measureOrder(spec: SuppressionSpec): ColumnDecl[] {
  const measures = new Map(spec.columns.filter((c) => c.kind === 'measure').map((c) => [c.name, c]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: ColumnDecl[] = [];
  const visit = (column: ColumnDecl): void => {
    if (done.has(column.name)) return;
    if (visiting.has(column.name)) throw new SuppressionSpecError(`measure ${column.name} is derived from itself`);
    visiting.add(column.name);
    for (const source of column.derivedFrom ?? []) {
      const dep = measures.get(source);
      if (dep) visit(dep);
    }
    visiting.delete(column.name);
    done.add(column.name);
    order.push(column);
  };
  for (const column of measures.values()) visit(column);
  return order;
}

// ---- the cell model -------------------------------------------------------------------------------

type CellState = 'published' | 'primary' | 'secondary';

interface Cell {
  id: number;
  /** Row index in the input, or null for a virtual total (known from elsewhere, not in this table). */
  row: number | null;
  column: string;
  value: number;
  state: CellState;
}

/** sum(coef * cell value) = 0 over the terms. Totals enter with +1, parts with -1. */
interface Equation {
  terms: { cell: number; coef: number }[];
}

interface Model {
  cells: Cell[];
  equations: Equation[];
  /** cell ids per row index and count column */
  grid: Map<number, Map<string, number>>;
  /** for measures with ofTotalOver: row index -> total cell id, per partition key and count column */
  groupTotals: Map<string, Map<number, number>>;
}

function toCount(value: unknown, column: string): number {
  if (value === null || value === undefined) return 0; // an empty group is a zero count
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new SuppressionSpecError(`count column ${column} holds a value that is not a count`);
  return n;
}

const partitionKey = (over: readonly string[]): string => [...over].sort().join('\u0000');

function buildModel(spec: SuppressionSpec, rows: readonly Row[], threshold: number): Model {
  const marker = spec.totalMarker ?? ALL;
  const dimensions = spec.columns.filter((c) => c.kind === 'dimension').map((c) => c.name);
  const counts = spec.columns.filter((c) => c.kind === 'count').map((c) => c.name);
  const cells: Cell[] = [];
  const grid = new Map<number, Map<string, number>>();
  const stateFor = (value: number): CellState => (value < threshold ? 'primary' : 'published');

  rows.forEach((row, r) => {
    const byColumn = new Map<string, number>();
    for (const column of counts) {
      const value = toCount(row[column], column);
      byColumn.set(column, cells.length);
      cells.push({ id: cells.length, row: r, column, value, state: stateFor(value) });
    }
    grid.set(r, byColumn);
  });

  const virtualCells = new Map<string, number>();
  const virtualCell = (key: string, column: string, value: number): number => {
    const existing = virtualCells.get(key);
    if (existing !== undefined) return existing;
    const id = cells.length;
    cells.push({ id, row: null, column, value, state: stateFor(value) });
    virtualCells.set(key, id);
    return id;
  };
  const cellAt = (r: number, column: string): number => {
    const id = grid.get(r)?.get(column);
    if (id === undefined) throw new Error('internal: missing cell');
    return id;
  };
  const valueOf = (id: number): number => cells[id]?.value ?? 0;

  const equations: Equation[] = [];
  const groupTotals = new Map<string, Map<number, number>>();

  for (const partition of spec.partitions ?? []) {
    const others = dimensions.filter((d) => !partition.over.includes(d));
    const groups = new Map<string, { parts: number[]; total: number | null; fixed: unknown[] }>();
    rows.forEach((row, r) => {
      const overValues = partition.over.map((d) => row[d]);
      const isPart = overValues.every((v) => v !== marker);
      const isTotal = overValues.every((v) => v === marker);
      if (!isPart && !isTotal) return;
      const fixed = others.map((d) => row[d] ?? null);
      const key = JSON.stringify(fixed);
      const group = groups.get(key) ?? { parts: [], total: null, fixed };
      if (isPart) group.parts.push(r);
      else if (group.total !== null) throw new SuppressionSpecError(`two total rows for one group of the partition over ${partition.over.join(', ')}`);
      else group.total = r;
      groups.set(key, group);
    });
    const totalsForPartition = new Map<number, number>();
    for (const column of counts) {
      for (const group of groups.values()) {
        if (group.parts.length === 0) continue;
        let totalCell: number;
        if (group.total !== null) totalCell = cellAt(group.total, column);
        else if ((partition.total ?? 'known') === 'known') {
          // The total row this group would have: its other dimensions, and the marker in the `over` ones.
          const wouldBe = dimensions.map((d) => (partition.over.includes(d) ? marker : group.fixed[others.indexOf(d)]));
          const sum = group.parts.reduce((acc, r) => acc + valueOf(cellAt(r, column)), 0);
          totalCell = virtualCell(`${column}\u0000${JSON.stringify(wouldBe)}`, column, sum);
        } else continue;
        equations.push({ terms: [{ cell: totalCell, coef: 1 }, ...group.parts.map((r) => ({ cell: cellAt(r, column), coef: -1 }))] });
        // For measures that are shares of this total (ofTotalOver): row -> its group's total cell.
        const columnIndex = counts.indexOf(column);
        for (const r of group.parts) totalsForPartition.set(r * counts.length + columnIndex, totalCell);
        if (group.total !== null) totalsForPartition.set(group.total * counts.length + columnIndex, totalCell);
      }
    }
    groupTotals.set(partitionKey(partition.over), totalsForPartition);
  }

  for (const sum of spec.columnSums ?? []) {
    rows.forEach((_row, r) => {
      const parts = sum.parts.map((column) => cellAt(r, column));
      const totalCell = sum.total !== undefined
        ? cellAt(r, sum.total)
        : virtualCell(`sum\u0000${sum.parts.join('\u0000')}\u0000${r}`, `sum(${sum.parts.join('+')})`, parts.reduce((acc, id) => acc + valueOf(id), 0));
      equations.push({ terms: [{ cell: totalCell, coef: 1 }, ...parts.map((cell) => ({ cell, coef: -1 }))] });
    });
  }

  return { cells, equations, grid, groupTotals };
}

// ---- the attacker's view: what can be inferred about hidden cells ---------------------------------
//
// The attacker knows every published count, that a "<5" cell lies in [0, 4], that a "hidden" cell is at
// least 5 (complements are only chosen among published counts), and every declared sum. The hidden cells
// then range over the polytope P = { x : A x = b, lo <= x <= hi }, which holds the true values x*.
// A cell is recomputable exactly when it has the same value all over P. Because P is convex, that is
// the case when every feasible direction d at x* (A d = 0, and d pointing inwards for the cells that
// sit on a bound) has d_j = 0. The audit decides this exactly (over the reals) in three steps:
//   1. eliminate the cells strictly inside their bounds (they absorb any move), leaving a system B on the
//      cells that sit on a bound;
//   2. a small linear program finds which of those can move inwards at all (the others are pinned: e.g.
//      four "<5" cells whose sum is known to be 16 are all 4);
//   3. Gaussian elimination on A plus "d_z = 0" for the pinned ones gives every cell fixed by them.
// This catches subtraction (a cell alone in a sum), combinations of several sums, and bounds.

const EPS = 1e-9;
/** A component bigger than this is not audited; the table is withheld instead (fail safe). */
const MAX_AUDIT_ENTRIES = 4_000_000;

const isHidden = (cell: Cell): boolean => cell.state !== 'published';

interface Audit {
  /** Hidden cells whose value the attacker can pin down. */
  fixed: Set<number>;
  tooLarge: boolean;
}

/** Group hidden cells that share an equation (union-find), so each audit runs on a small system. */
function components(model: Model): Map<number, number[]> {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    let node = x;
    while (node !== root) {
      const next = parent.get(node) ?? root;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  for (const cell of model.cells) if (isHidden(cell)) parent.set(cell.id, cell.id);
  for (const equation of model.equations) {
    const hidden = equation.terms.filter((t) => parent.has(t.cell));
    const first = hidden[0];
    if (first === undefined) continue;
    for (const term of hidden.slice(1)) parent.set(find(term.cell), find(first.cell));
  }
  const out = new Map<number, number[]>();
  model.equations.forEach((equation, index) => {
    const first = equation.terms.find((t) => parent.has(t.cell));
    if (first === undefined) return;
    const root = find(first.cell);
    const list = out.get(root) ?? [];
    list.push(index);
    out.set(root, list);
  });
  return out;
}

/** Reduced row echelon form, in place, pivoting in column order. Returns the pivot column of each row
 *  (rows after the last pivot are zero). */
function rref(matrix: Float64Array[], n: number): number[] {
  const m = matrix.length;
  const pivots: number[] = [];
  let pivotRow = 0;
  for (let col = 0; col < n && pivotRow < m; col++) {
    let best = -1;
    let bestAbs = EPS;
    for (let r = pivotRow; r < m; r++) {
      const a = Math.abs((matrix[r] as Float64Array)[col] as number);
      if (a > bestAbs) {
        best = r;
        bestAbs = a;
      }
    }
    if (best < 0) {
      for (let r = pivotRow; r < m; r++) (matrix[r] as Float64Array)[col] = 0;
      continue;
    }
    [matrix[pivotRow], matrix[best]] = [matrix[best] as Float64Array, matrix[pivotRow] as Float64Array];
    const p = matrix[pivotRow] as Float64Array;
    const pv = p[col] as number;
    for (let k = col; k < n; k++) p[k] = (p[k] as number) / pv;
    for (let r = 0; r < m; r++) {
      if (r === pivotRow) continue;
      const row = matrix[r] as Float64Array;
      const f = row[col] as number;
      if (Math.abs(f) <= EPS) {
        row[col] = 0;
        continue;
      }
      for (let k = col; k < n; k++) row[k] = (row[k] as number) - f * (p[k] as number);
      row[col] = 0;
    }
    pivots.push(col);
    pivotRow++;
  }
  return pivots;
}

/** Which columns of { B z = 0, z >= 0 } can be strictly positive (the largest support of a solution).
 *  LP: maximise sum(t) with z = t + u, B z = 0, t + v = 1, t, u, v >= 0; at the optimum t_k = 1 exactly for
 *  the columns that can be positive (the sum of solutions is a solution). Dense tableau, Bland's rule.
 *  Exported for its property test (suppression.test.ts), which checks it against circuits. */
export function positiveSupport(b: Float64Array[], k: number): boolean[] {
  const r = b.length;
  const cols = 3 * k; // t | u | v
  const width = cols + 1; // + right-hand side
  const rows: Float64Array[] = [];
  for (let i = 0; i < r; i++) {
    const row = new Float64Array(width);
    for (let j = 0; j < k; j++) {
      row[j] = (b[i] as Float64Array)[j] as number;
      row[k + j] = (b[i] as Float64Array)[j] as number;
    }
    rows.push(row);
  }
  for (let j = 0; j < k; j++) {
    const row = new Float64Array(width);
    row[j] = 1;
    row[2 * k + j] = 1;
    row[cols] = 1;
    rows.push(row);
  }
  const basis: number[] = [...Array(r).fill(-1), ...Array.from({ length: k }, (_v, j) => 2 * k + j)];
  // Which columns are basic, kept beside `basis`: looking it up in `basis` made every pricing step
  // rows × columns, and a weekly demand table took 10 s in this function.
  const isBasic = new Uint8Array(cols);
  for (let j = 0; j < k; j++) isBasic[2 * k + j] = 1;
  const pivot = (pr: number, pc: number): void => {
    const p = rows[pr] as Float64Array;
    const pv = p[pc] as number;
    for (let c = 0; c < width; c++) p[c] = (p[c] as number) / pv;
    // Only the pivot row's non-zero entries change other rows (x - f * 0 is x).
    const nonZero: number[] = [];
    for (let c = 0; c < width; c++) if ((p[c] as number) !== 0) nonZero.push(c);
    for (let i = 0; i < rows.length; i++) {
      if (i === pr) continue;
      const row = rows[i] as Float64Array;
      const f = row[pc] as number;
      if (Math.abs(f) <= EPS) continue;
      for (const c of nonZero) row[c] = (row[c] as number) - f * (p[c] as number);
      row[pc] = 0;
    }
    const previous = basis[pr] as number;
    if (previous >= 0) isBasic[previous] = 0;
    basis[pr] = pc;
    isBasic[pc] = 1;
  };
  // The B rows start with an artificial basic variable at 0: swap each for a real one (a degenerate pivot
  // keeps the solution feasible whatever the sign); a row with nothing left is redundant.
  const redundant = new Set<number>();
  for (let i = 0; i < r; i++) {
    const row = rows[i] as Float64Array;
    let pc = -1;
    for (let c = 0; c < cols; c++) {
      if (Math.abs(row[c] as number) > EPS && !isBasic[c]) {
        pc = c;
        break;
      }
    }
    if (pc < 0) redundant.add(i);
    else pivot(i, pc);
  }
  // Phase 2: maximise sum(t). The reduced costs (cost_c minus the sum of cost_basis * entry over the
  // rows) are computed once and then updated with every pivot, so pricing is one pass over a row.
  // Any optimum gives the same answer: it has t = 1 exactly on the columns that can be positive.
  const cost = (c: number): number => (c < k ? 1 : 0);
  const reducedCost = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    let value = cost(c);
    rows.forEach((row, i) => {
      const bc = basis[i] as number;
      if (!redundant.has(i) && bc >= 0) value -= cost(bc) * (row[c] as number);
    });
    reducedCost[c] = isBasic[c] ? 0 : value;
  }
  for (let iteration = 0; iteration < 50 * (rows.length + cols); iteration++) {
    let entering = -1;
    for (let c = 0; c < cols; c++) {
      if (!isBasic[c] && (reducedCost[c] as number) > EPS) {
        entering = c;
        break;
      }
    }
    if (entering < 0) break;
    let leaving = -1;
    let bestRatio = Number.POSITIVE_INFINITY;
    rows.forEach((row, i) => {
      if (redundant.has(i)) return;
      const a = row[entering] as number;
      if (a <= EPS) return;
      const ratio = (row[cols] as number) / a;
      if (ratio < bestRatio - EPS || (Math.abs(ratio - bestRatio) <= EPS && (basis[i] as number) < (basis[leaving] as number))) {
        bestRatio = ratio;
        leaving = i;
      }
    });
    if (leaving < 0) break; // unbounded cannot happen (t <= 1); stop safely
    pivot(leaving, entering);
    const p = rows[leaving] as Float64Array;
    const f = reducedCost[entering] as number;
    for (let c = 0; c < cols; c++) if ((p[c] as number) !== 0) reducedCost[c] = (reducedCost[c] as number) - f * (p[c] as number);
    reducedCost[entering] = 0;
  }
  const t = new Float64Array(k);
  rows.forEach((row, i) => {
    const bc = basis[i] as number;
    if (!redundant.has(i) && bc >= 0 && bc < k) t[bc] = row[cols] as number;
  });
  return [...t].map((value) => value > 0.5);
}

function auditComponent(model: Model, equationIndexes: number[], threshold: number, audit: Audit): void {
  // Variables: the hidden cells of this component; interior ones first, then those on a bound.
  const cellsHere: number[] = [];
  const seen = new Set<number>();
  for (const index of equationIndexes) {
    for (const term of model.equations[index]?.terms ?? []) {
      const cell = model.cells[term.cell] as Cell;
      if (isHidden(cell) && !seen.has(cell.id)) {
        seen.add(cell.id);
        cellsHere.push(cell.id);
      }
    }
  }
  /** +1: sits on its lower bound (can only go up), -1: on its upper bound, 0: strictly inside. */
  const side = (id: number): number => {
    const cell = model.cells[id] as Cell;
    if (cell.state === 'primary') return cell.value <= 0 ? 1 : cell.value >= threshold - 1 ? -1 : 0;
    return cell.value <= threshold ? 1 : 0;
  };
  const interior = cellsHere.filter((id) => side(id) === 0);
  const onBound = cellsHere.filter((id) => side(id) !== 0);
  const variables = [...interior, ...onBound];
  const column = new Map(variables.map((id, j) => [id, j]));
  const n = variables.length;
  const m = equationIndexes.length;
  // Each step checks the size of its dense matrix first; too large -> withhold (fail safe).
  const tooLarge = (entries: number): boolean => {
    if (entries > MAX_AUDIT_ENTRIES) audit.tooLarge = true;
    return audit.tooLarge;
  };
  if (tooLarge(m * n)) return;
  const equationRows = (): Float64Array[] =>
    equationIndexes.map((index) => {
      const row = new Float64Array(n);
      for (const term of model.equations[index]?.terms ?? []) {
        const j = column.get(term.cell);
        if (j !== undefined) row[j] = (row[j] ?? 0) + term.coef;
      }
      return row;
    });

  // 1. Eliminate the interior cells: rows whose pivot is a bound cell involve bound cells only.
  const reduced = equationRows();
  const pivots = rref(reduced, n);
  const boundRows = pivots.flatMap((col, r) => (col >= interior.length ? [reduced[r] as Float64Array] : []));

  // 2. Which bound cells can move inwards? z_k = side_k * d_k >= 0 with B d = 0.
  const pinned = new Set<number>();
  if (boundRows.length > 0) {
    const k = onBound.length;
    const b = boundRows.map((row) => {
      const out = new Float64Array(k);
      for (let j = 0; j < k; j++) out[j] = (row[interior.length + j] as number) * side(onBound[j] as number);
      return out;
    });
    const involved = [...Array(k).keys()].filter((j) => b.some((row) => Math.abs(row[j] as number) > EPS));
    if (tooLarge((b.length + involved.length) * 3 * involved.length)) return;
    const movable = positiveSupport(b.map((row) => Float64Array.from(involved.map((j) => row[j] as number))), involved.length);
    involved.forEach((j, index) => {
      if (!movable[index]) pinned.add(onBound[j] as number);
    });
  }

  // 3. Cells fixed on the set { A d = 0, d_z = 0 for the pinned z }: some row of its RREF is a unit vector.
  if (tooLarge((m + pinned.size) * n)) return;
  const augmented = [...equationRows(), ...[...pinned].map((id) => {
    const row = new Float64Array(n);
    row[column.get(id) as number] = 1;
    return row;
  })];
  const augmentedPivots = rref(augmented, n);
  augmentedPivots.forEach((col, r) => {
    const row = augmented[r] as Float64Array;
    for (let j = 0; j < n; j++) if (j !== col && Math.abs(row[j] as number) > EPS) return;
    audit.fixed.add(variables[col] as number);
  });
}

function runAudit(model: Model, threshold: number): Audit {
  const audit: Audit = { fixed: new Set(), tooLarge: false };
  for (const equationIndexes of components(model).values()) {
    auditComponent(model, equationIndexes, threshold, audit);
    if (audit.tooLarge) return audit;
  }
  return audit;
}

/** The published real cell to hide next to protect `exposed`: the smallest one in an equation with it
 *  (fewest hidden cells first), else anywhere in its connected group of equations. Null when none is left. */
function complementFor(model: Model, exposed: number, equationsOf: Map<number, number[]>): number | null {
  const better = (a: Cell, b: Cell): boolean => (a.value !== b.value ? a.value < b.value : a.id < b.id);
  const bestPublished = (equationIndex: number): Cell | null => {
    let best: Cell | null = null;
    for (const term of model.equations[equationIndex]?.terms ?? []) {
      const cell = model.cells[term.cell] as Cell;
      if (cell.row === null || cell.state !== 'published') continue;
      if (best === null || better(cell, best)) best = cell;
    }
    return best;
  };
  const hiddenCount = (equationIndex: number): number => (model.equations[equationIndex]?.terms ?? []).filter((t) => isHidden(model.cells[t.cell] as Cell)).length;
  const direct = [...(equationsOf.get(exposed) ?? [])].sort((a, b) => hiddenCount(a) - hiddenCount(b) || a - b);
  for (const index of direct) {
    const cell = bestPublished(index);
    if (cell) return cell.id;
  }
  // Breadth-first through equations linked by hidden cells.
  const seenCells = new Set<number>([exposed]);
  const seenEquations = new Set<number>(direct);
  let frontier = direct;
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const index of frontier) {
      for (const term of model.equations[index]?.terms ?? []) {
        const cell = model.cells[term.cell] as Cell;
        if (!isHidden(cell) || seenCells.has(cell.id)) continue;
        seenCells.add(cell.id);
        for (const other of equationsOf.get(cell.id) ?? []) {
          if (seenEquations.has(other)) continue;
          seenEquations.add(other);
          next.push(other);
        }
      }
    }
    for (const index of next) {
      const cell = bestPublished(index);
      if (cell) return cell.id;
    }
    frontier = next;
  }
  return null;
}

/** Secondary suppression: hide published cells until no "<5" cell is fixed. Hidden complements that are
 *  fixed are protected too when possible (it leads to the classic rectangles in two-way tables), but a
 *  fixed complement is a count >= 5 and harmless on its own. False when no safe pattern exists. */
function protect(model: Model, threshold: number): boolean {
  const equationsOf = new Map<number, number[]>();
  model.equations.forEach((equation, index) => {
    for (const term of equation.terms) {
      const list = equationsOf.get(term.cell) ?? [];
      list.push(index);
      equationsOf.set(term.cell, list);
    }
  });
  for (let round = 0; round <= model.cells.length; round++) {
    const audit = runAudit(model, threshold);
    if (audit.tooLarge) return false;
    const exposed = [...audit.fixed].sort((a, b) => {
      // Small cells first: they are the ones that must be protected.
      const pa = (model.cells[a] as Cell).state === 'primary' ? 0 : 1;
      const pb = (model.cells[b] as Cell).state === 'primary' ? 0 : 1;
      return pa - pb || a - b;
    });
    if (exposed.length === 0) return true;
    // One complement per equation touched per round, then audit again: one complement often protects
    // several cells, and hiding more than needed costs the reader information.
    const touched = new Set<number>();
    let added = 0;
    for (const cell of exposed) {
      if ((equationsOf.get(cell) ?? []).some((e) => touched.has(e))) continue;
      const complement = complementFor(model, cell, equationsOf);
      if (complement === null) continue;
      (model.cells[complement] as Cell).state = 'secondary';
      added++;
      for (const e of equationsOf.get(complement) ?? []) touched.add(e);
      for (const e of equationsOf.get(cell) ?? []) touched.add(e);
    }
    // Nothing left to hide: safe only if what remains exposed are complements (counts >= 5).
    if (added === 0) return !exposed.some((id) => (model.cells[id] as Cell).state === 'primary');
  }
  return false;
}

// ---- the entry point ----------------------------------------------------------------------------------

/** Apply small-count suppression to a report's rows for an aggregate-only role. Pure; throws
 *  SuppressionSpecError if the spec is inconsistent or a row has a column the spec does not declare. */
export function suppressSmallCounts(spec: SuppressionSpec, rows: readonly Row[], options: SuppressionOptions = {}): SuppressionResult {
  validateSuppressionSpec(spec);
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (!Number.isInteger(threshold) || threshold < 2) throw new SuppressionSpecError('threshold must be an integer of at least 2');
  const declared = new Set(spec.columns.map((c) => c.name));
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      // Fail closed: a column nobody declared could be a name or an id.
      if (!declared.has(key)) throw new SuppressionSpecError(`column ${key} is not declared`);
    }
  }

  const model = buildModel(spec, rows, threshold);
  const withheld = !protect(model, threshold);
  const small = smallCountMarker(threshold);
  const kept = spec.columns.filter((c) => c.kind !== 'identifying');
  const counts = spec.columns.filter((c) => c.kind === 'count').map((c) => c.name);
  const measures = measureOrder(spec);

  let primary = 0;
  let secondary = 0;
  let derived = 0;
  const out: Row[] = rows.map((row, r) => {
    const shaped: Row = {};
    const hiddenHere = new Set<string>();
    for (const column of kept) {
      if (column.kind === 'dimension') shaped[column.name] = row[column.name] ?? null;
    }
    for (const column of counts) {
      const cell = model.cells[model.grid.get(r)?.get(column) as number] as Cell;
      if (withheld) {
        shaped[column] = HIDDEN;
        hiddenHere.add(column);
      } else if (cell.state === 'primary') {
        shaped[column] = small;
        hiddenHere.add(column);
        primary++;
      } else if (cell.state === 'secondary') {
        shaped[column] = HIDDEN;
        hiddenHere.add(column);
        secondary++;
      } else {
        shaped[column] = cell.value;
      }
    }
    for (const measure of measures) {
      const sources = measure.derivedFrom ?? [];
      let hide = withheld || sources.some((source) => hiddenHere.has(source));
      if (!hide && measure.ofTotalOver !== undefined) {
        const totals = model.groupTotals.get(partitionKey(measure.ofTotalOver));
        for (const source of sources) {
          const index = counts.indexOf(source);
          if (index < 0) continue;
          const totalCell = totals?.get(r * counts.length + index);
          // No known total for this row: the share can't be checked, so it is hidden.
          if (totalCell === undefined || isHidden(model.cells[totalCell] as Cell)) hide = true;
        }
      }
      if (hide) {
        hiddenHere.add(measure.name);
        shaped[measure.name] = HIDDEN;
        if (!withheld) derived++;
      } else {
        shaped[measure.name] = row[measure.name] ?? null;
      }
    }
    // Keep the declared column order.
    const ordered: Row = {};
    for (const column of kept) ordered[column.name] = shaped[column.name] ?? null;
    return ordered;
  });
  return { columns: kept, rows: out, primary, secondary, derived, withheld };
}

// ---- role-aware entry point ---------------------------------------------------------------------------

/** What the reports route does with a report's rows for a given role: 403, the rows as they are, or the
 *  rows through suppression. One function, so no route can forget the suppression step. */
export type ReportRowsForRole =
  | { access: 'forbidden' }
  | { access: 'full'; rows: readonly Row[] }
  | { access: 'suppressed'; result: SuppressionResult };

export function reportRowsForRole(
  role: Role,
  report: { name: string; level: ReportLevel; privacy: SuppressionSpec },
  rows: readonly Row[],
  options: SuppressionOptions = {},
): ReportRowsForRole {
  const access = reportAccess(role, report);
  if (access === 'forbidden') return { access };
  if (access === 'full') return { access, rows };
  return { access, result: suppressSmallCounts(report.privacy, rows, options) };
}
