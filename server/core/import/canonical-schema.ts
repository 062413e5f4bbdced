// The JSON Schema of the canonical JSON form, derived from the same declaration the importer
// validates with (CANONICAL_KINDS), so the documented schema cannot drift from the code.
import { CANONICAL_KINDS } from './canonical.ts';

type Json = Record<string, unknown>;

function valueSchema(type: (typeof CANONICAL_KINDS)[number]['columns'][string]): Json {
  if (typeof type === 'object') return { type: ['string', 'null'], enum: [...type.oneOf, null] };
  switch (type) {
    case 'text': return { type: ['string', 'null'] };
    case 'list': return { type: ['array', 'null'], items: { type: 'string' } };
    case 'int_list': return { type: ['array', 'null'], items: { type: 'integer' } };
    case 'timestamp': return { type: ['string', 'null'], description: 'ISO 8601 date or date-time; UTC when no zone' };
    case 'date': return { type: ['string', 'null'], format: 'date' };
    case 'bool': return { type: ['boolean', 'null'] };
    case 'int': return { type: ['integer', 'null'] };
    case 'double': return { type: ['number', 'null'] };
    case 'ranges': return {
      type: ['array', 'null'],
      items: { type: 'object', required: ['start_date', 'end_date'], additionalProperties: false,
        properties: { start_date: { type: 'string', format: 'date' }, end_date: { type: 'string', format: 'date' } } },
    };
  }
}

export function canonicalJsonSchema(): Json {
  const properties: Json = {
    format: { const: 'handoff-canonical' },
    version: { const: 1 },
  };
  for (const kind of CANONICAL_KINDS) {
    const columns: Json = {};
    for (const [name, type] of Object.entries(kind.columns)) columns[name] = valueSchema(type);
    properties[kind.kind] = {
      type: 'array',
      items: { type: 'object', required: kind.required, additionalProperties: false, properties: columns },
    };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'handoff-canonical-v1',
    title: 'Handoff canonical dataset',
    description: 'See docs/import-format.md. Generated from server/core/import/canonical.ts (npx tsx server/core/import/canonical-schema.ts > docs/import-format.schema.json).',
    type: 'object',
    required: ['format', 'version'],
    additionalProperties: false,
    properties,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(canonicalJsonSchema(), null, 2)}\n`);
}
