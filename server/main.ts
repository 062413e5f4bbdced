// `npm start`: open (or create) data/handoff.duckdb, load the bundled demo on first start, serve.
import path from 'node:path';
import { DEFAULT_DB_PATH, REPO_ROOT, datasetVersion, openDatabase } from './core/db/database.ts';
import { importFiles } from './core/import/index.ts';
import { loadOrCreatePiiKey } from './core/import/pii.ts';
import { buildApp } from './app.ts';

export const DEMO_DATASET = path.join(REPO_ROOT, 'fixtures', 'demo', 'canonical');

export async function start(): Promise<void> {
  const dbPath = process.env.HANDOFF_DB ?? DEFAULT_DB_PATH;
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  const db = await openDatabase(dbPath);
  const piiKey = loadOrCreatePiiKey(dbPath);

  if ((await datasetVersion(db.connection)) === 0 && process.env.HANDOFF_NO_DEMO !== '1') {
    process.stdout.write(`First start: creating ${path.relative(process.cwd(), dbPath)} from the bundled demo dataset (${path.relative(REPO_ROOT, DEMO_DATASET)})...\n`);
    let last = -1;
    const summary = await importFiles(db, [DEMO_DATASET], {
      piiKey,
      actor: 'first-start',
      onProgress: (p) => {
        const pct = p.total ? Math.floor((p.done / p.total) * 100) : 0;
        if (p.phase !== 'stage' || pct === last) return;
        last = pct;
        process.stdout.write(`  loading ${pct}%${p.file ? ` ${path.basename(p.file)}` : ''}\n`);
      },
    });
    const c = summary.counts!;
    process.stdout.write(`  demo loaded as dataset version ${summary.version}: ${c.contacts.added} contacts, ${c.multipliers.added} multipliers, ` +
      `${c.events.added} events, ${c.locations.added} locations\n`);
  }

  const app = await buildApp({ db, piiKey, logger: process.env.HANDOFF_LOG === '1' });
  await app.listen({ port, host });
  const shown = host === '127.0.0.1' || host === '0.0.0.0' ? 'localhost' : host;
  process.stdout.write(`Handoff is serving http://${shown}:${port} (dataset version ${await datasetVersion(db.connection)})\n`);

  const stop = async () => {
    await app.close();
    db.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
