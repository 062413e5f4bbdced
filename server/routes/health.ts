import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { queryRows } from '../core/db/database.ts';
import { datasetAsOf } from '../core/reports/registry.ts';
import { can } from '../core/auth/index.ts';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/health', {
    config: { permission: 'public' },
    schema: {
      summary: 'Liveness, the dataset version and its as-of date',
      response: { 200: Type.Object({ ok: Type.Boolean(), datasetVersion: Type.Integer(), asOf: Type.Optional(Type.String()), dtSiteUrl: Type.Optional(Type.String()) }) },
    },
  }, async (request) => {
    const datasetVersion = await app.handoff.reports.datasetVersion();
    // The as-of date is only for signed-in users: it says when the data was exported. The D.T address
    // only for those who see single contacts (the page links contact ids to it).
    if (!request.sessionUser) return { ok: true, datasetVersion };
    const asOf = await datasetAsOf(app.handoff.db.connection);
    if (!can(request.sessionUser.role, 'reports.contact-level')) return { ok: true, datasetVersion, asOf };
    const site = await queryRows<{ value: string }>(app.handoff.db.connection, "SELECT value FROM meta WHERE key = 'dt_site_url'");
    return site[0] ? { ok: true, datasetVersion, asOf, dtSiteUrl: site[0].value } : { ok: true, datasetVersion, asOf };
  });

  // The values the filter pickers and the map offer: reference data and keys, no counts, no contacts.
  app.get('/api/dimensions', {
    config: { permission: 'reports.aggregate' },
    schema: { summary: 'Regions (with centroids), languages, sources and campaigns present in the data' },
  }, async () => {
    const connection = app.handoff.db.connection;
    const regions = await queryRows(connection, `SELECT location_id::VARCHAR AS id, name, level, parent_id::VARCHAR AS parent_id, longitude, latitude
      FROM locations ORDER BY level, name`);
    const keys = async (column: string) => (await queryRows<{ v: string }>(connection,
      `SELECT DISTINCT unnest(${column}) AS v FROM contacts WHERE contact_type = 'access' ORDER BY v`)).map((r) => r.v).filter((v) => v !== null);
    return { regions, languages: await keys('languages'), sources: await keys('sources'), campaigns: await keys('campaigns') };
  });
}
