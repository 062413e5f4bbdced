// Declared report parameters: every value from a URL or the command line is validated against its
// declaration and bound as a DuckDB prepared-statement parameter. Nothing is pasted into SQL text.

export type ParamType = 'date' | 'enum' | 'string' | 'integer' | 'boolean' | 'string[]';
export type ParamValue = string | number | boolean | string[] | null;

export interface ParamSpec {
  name: string;
  type: ParamType;
  description: string;
  /** null = no filter. Dates may use the token 'as_of' or 'as_of-89d' (relative to the dataset's as-of date). */
  default: ParamValue;
  allowed?: readonly string[];
  min?: number;
  max?: number;
  required?: boolean;
}

export class ParamError extends Error {
  constructor(readonly param: string, message: string) {
    super(message);
    this.name = 'ParamError';
  }
}

export const GRAINS = ['week', 'month', 'quarter', 'year'] as const;

/** The shared global filters. A report lists the ones that make sense for it. */
export const GLOBAL_PARAMS: Record<string, ParamSpec> = {
  from: { name: 'from', type: 'date', default: 'as_of-89d', description: 'first day of the window (YYYY-MM-DD); default 90 days before the as-of date' },
  to: { name: 'to', type: 'date', default: 'as_of', description: 'last day of the window (YYYY-MM-DD); default the dataset as-of date' },
  grain: { name: 'grain', type: 'enum', allowed: GRAINS, default: 'month', description: 'time bucket' },
  region: { name: 'region', type: 'integer', default: null, description: 'location grid id at any level; includes everything below it' },
  language: { name: 'language', type: 'string', default: null, description: 'language key, e.g. en' },
  gender: { name: 'gender', type: 'enum', allowed: ['male', 'female'], default: null, description: 'gender key' },
  source: { name: 'source', type: 'string', default: null, description: 'source key, e.g. facebook' },
  campaign: { name: 'campaign', type: 'string', default: null, description: 'campaign name' },
  as_of: { name: 'as_of', type: 'date', default: 'as_of', description: 'the day "now" means for current-state reports (load, queue, overdue); default the dataset as-of date' },
  compare: { name: 'compare', type: 'enum', allowed: ['none', 'previous'], default: 'none', description: 'add the previous window of equal length, with deltas' },
};

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const RELATIVE_RE = /^as_of(?:-(\d+)d)?$/;

function resolveDate(value: string, asOf: string): string {
  const m = RELATIVE_RE.exec(value);
  if (!m) return value;
  const d = new Date(`${asOf}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - Number(m[1] ?? 0));
  return d.toISOString().slice(0, 10);
}

function parseOne(spec: ParamSpec, raw: string, asOf: string): ParamValue {
  switch (spec.type) {
    case 'date': {
      const value = resolveDate(raw, asOf);
      const d = new Date(`${value}T00:00:00Z`);
      if (!DATE_RE.test(value) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
        throw new ParamError(spec.name, `parameter "${spec.name}" must be a date YYYY-MM-DD, got "${raw}"`);
      }
      return value;
    }
    case 'enum':
      if (!spec.allowed!.includes(raw)) {
        throw new ParamError(spec.name, `parameter "${spec.name}" must be one of ${spec.allowed!.join(', ')}; got "${raw}"`);
      }
      return raw;
    case 'integer': {
      if (!/^-?\d+$/.test(raw)) throw new ParamError(spec.name, `parameter "${spec.name}" must be a whole number, got "${raw}"`);
      const n = Number(raw);
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
        throw new ParamError(spec.name, `parameter "${spec.name}" must be between ${spec.min ?? '-∞'} and ${spec.max ?? '∞'}, got ${n}`);
      }
      return n;
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw new ParamError(spec.name, `parameter "${spec.name}" must be true or false, got "${raw}"`);
      return raw === 'true';
    case 'string[]': {
      const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
      for (const item of list) checkPlainString(spec, item);
      return list;
    }
    case 'string':
      checkPlainString(spec, raw);
      return raw;
  }
}

/** Keys, ids and campaign names are short plain strings; anything else is refused early (it's bound anyway). */
function checkPlainString(spec: ParamSpec, value: string): void {
  if (value.length > 200 || /[\u0000-\u001f]/.test(value)) {
    throw new ParamError(spec.name, `parameter "${spec.name}" must be a short plain string`);
  }
}

/**
 * Validates raw inputs against the declarations. Unknown names are refused (a typo must not silently
 * turn a filter off). Returns values in declaration order with defaults filled in.
 */
export function normaliseParams(specs: ParamSpec[], raw: Record<string, string | undefined>, asOf: string): Record<string, ParamValue> {
  const known = new Set(specs.map((s) => s.name));
  for (const name of Object.keys(raw)) {
    if (!known.has(name)) {
      throw new ParamError(name, `unknown parameter "${name}"; allowed: ${specs.map((s) => s.name).join(', ') || 'none'}`);
    }
  }
  const out: Record<string, ParamValue> = {};
  for (const spec of specs) {
    const given = raw[spec.name];
    if (given === undefined || given === '') {
      if (spec.required) throw new ParamError(spec.name, `parameter "${spec.name}" is required`);
      out[spec.name] = typeof spec.default === 'string' && spec.type === 'date' ? resolveDate(spec.default, asOf) : spec.default;
    } else {
      out[spec.name] = parseOne(spec, given, asOf);
    }
  }
  if (typeof out.from === 'string' && typeof out.to === 'string' && out.from > out.to) {
    throw new ParamError('from', `parameter "from" (${out.from}) must not be after "to" (${out.to})`);
  }
  return out;
}
