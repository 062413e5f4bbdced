import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { queryRows } from '../core/db/database.ts';
import { datasetAsOf } from '../core/reports/registry.ts';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/health', {
    config: { permission: 'public' },
    schema: {
      summary: 'Liveness, the dataset version and its as-of date',
      response: { 200: Type.Object({ ok: Type.Boolean(), datasetVersion: Type.Integer(), asOf: Type.Optional(Type.String()) }) },
    },
  }, async (request) => {
    const datasetVersion = await app.handoff.reports.datasetVersion();
    // The as-of date is only for signed-in users: it says when the data was exported.
    return request.sessionUser ? { ok: true, datasetVersion, asOf: await datasetAsOf(app.handoff.db.connection) } : { ok: true, datasetVersion };
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
