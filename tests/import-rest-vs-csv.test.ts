// The same D.T instance exported two ways (REST JSON and the list page's CSV) must give the same
// stored contacts on every field both carry, after each goes through its own importer.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DT_SAMPLES, createTestDb, rows } from './helpers.ts';

const SHARED_FIELDS = `contact_id, name, created_at::DATE::VARCHAR AS created_day, contact_type::VARCHAR AS contact_type,
  overall_status::VARCHAR AS overall_status, seeker_path::VARCHAR AS seeker_path, gender, age_band,
  list_sort(languages) AS languages, list_sort(sources) AS sources, list_sort(campaigns) AS campaigns, list_sort(tags) AS tags,
  list_sort(location_ids)::VARCHAR AS location_ids, assigned_to, requires_update, reason_closed, reason_paused, reason_unassignable,
  list_sort(milestones) AS milestones, faith_status, baptism_date::VARCHAR AS baptism_date,
  attempts_count, established_count, scheduled_count, met_count, no_show_count,
  list_sort(phone_hashes) AS phone_hashes, list_sort(email_hashes) AS email_hashes`;

describe('REST and CSV exports of the same instance', () => {
  it('agree on every field both carry', async () => {
    const rest = await createTestDb();
    await rest.importAll([path.join(DT_SAMPLES, 'rest/contacts_settings.json'), path.join(DT_SAMPLES, 'rest/users'), path.join(DT_SAMPLES, 'rest/contacts_list')]);
    const csv = await createTestDb();
    // Same key, so equal phones hash equally in both databases.
    csv.key.set(rest.key);
    await csv.importAll([path.join(DT_SAMPLES, 'rest/contacts_settings.json'), path.join(DT_SAMPLES, 'rest/users'),
      path.join(DT_SAMPLES, 'csv/2026_11_22_20_50_13_contacts_list_export__all_fields__archived_shown.csv')]);
    const fromCsv = await rows<Record<string, unknown>>(csv.db, `SELECT ${SHARED_FIELDS} FROM contacts WHERE contact_type = 'access' ORDER BY contact_id`);
    const fromRest = await rows<Record<string, unknown>>(rest.db, `SELECT ${SHARED_FIELDS} FROM contacts WHERE contact_type = 'access' ORDER BY contact_id`);
    expect(fromCsv).toHaveLength(290);
    expect(fromCsv.map((r) => r.contact_id)).toEqual(fromRest.map((r) => r.contact_id));
    const differences: string[] = [];
    fromCsv.forEach((c, i) => {
      const r = fromRest[i]!;
      for (const field of Object.keys(c)) {
        if (JSON.stringify(c[field]) !== JSON.stringify(r[field])) differences.push(`${c.contact_id}.${field}: csv ${JSON.stringify(c[field])} rest ${JSON.stringify(r[field])}`);
      }
    });
    expect(differences).toEqual([]);
    // The comparison is not vacuous: the shared fields are filled in.
    expect(fromCsv.filter((c) => c.assigned_to !== null).length).toBeGreaterThan(250);
    expect(fromCsv.filter((c) => (c.phone_hashes as string[]).length > 0).length).toBeGreaterThan(200);
    rest.close();
    csv.close();
  });
});

describe('importing the CSV after the REST export', () => {
  it('keeps the REST times (the CSV has days only) and changes nothing else', async () => {
    const t = await createTestDb();
    await t.importAll([path.join(DT_SAMPLES, 'rest/contacts_settings.json'), path.join(DT_SAMPLES, 'rest/users'), path.join(DT_SAMPLES, 'rest/contacts_list')]);
    const before = await rows(t.db, `SELECT ${SHARED_FIELDS}, created_at::VARCHAR AS created_at, last_modified::VARCHAR AS last_modified FROM contacts ORDER BY contact_id`);
    const summary = await t.importAll([path.join(DT_SAMPLES, 'csv/2026_11_22_20_50_13_contacts_list_export__all_fields__archived_shown.csv')]);
    expect(summary.counts!.contacts).toEqual({ added: 0, updated: 290 });
    const after = await rows(t.db, `SELECT ${SHARED_FIELDS}, created_at::VARCHAR AS created_at, last_modified::VARCHAR AS last_modified FROM contacts ORDER BY contact_id`);
    expect(after).toEqual(before);
    expect((before as { created_at: string }[]).some((r) => !r.created_at.endsWith('00:00:00'))).toBe(true);
    t.close();
  });
});
