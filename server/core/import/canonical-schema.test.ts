import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../db/database.ts';
import { canonicalJsonSchema } from './canonical-schema.ts';

describe('canonical JSON Schema', () => {
  it('is the committed docs/import-format.schema.json (regenerate it when the format changes)', () => {
    const committed = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'docs', 'import-format.schema.json'), 'utf8'));
    expect(committed).toEqual(canonicalJsonSchema());
  });

  it('documents every column the markdown spec names', () => {
    const spec = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'import-format.md'), 'utf8');
    const schema = canonicalJsonSchema() as { properties: Record<string, { items?: { properties: Record<string, unknown> } }> };
    for (const kind of ['contacts', 'multipliers', 'events', 'locations']) {
      for (const column of Object.keys(schema.properties[kind]!.items!.properties)) {
        expect(spec, `${kind}.${column} is in docs/import-format.md`).toMatch(new RegExp(`\\b${column}\\b`));
      }
    }
  });
});
