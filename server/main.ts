// `npm start`: open (or create) data/handoff.duckdb, load the bundled demo on first start, serve.
import path from 'node:path';
import { DEFAULT_DB_PATH, REPO_ROOT, datasetVersion, lockDownDatabase, openDatabase } from './core/db/database.ts';
import { DuckDbAuthStore, ensureFirstAdmin } from './core/auth/index.ts';
import { setupLink } from './routes/admin.ts';
import { importFiles } from './core/import/index.ts';
import { loadOrCreatePiiKey } from './core/import/pii.ts';
import { buildApp, uploadRootFor } from './app.ts';

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

  const uploadRoot = uploadRootFor(dbPath);
  const app = await buildApp({ db, piiKey, uploadRoot, logger: process.env.HANDOFF_LOG === '1' });
  await lockDownDatabase(db.connection, [uploadRoot]);
  await app.listen({ port, host });
  // PORT=0 picks a free port (the browser tests do): print the one actually bound.
  const boundPort = (app.server.address() as { port: number }).port;
  const shown = host === '127.0.0.1' || host === '0.0.0.0' ? 'localhost' : host;
  process.stdout.write(`Handoff is serving http://${shown}:${boundPort} (dataset version ${await datasetVersion(db.connection)})\n`);
  const ticket = await ensureFirstAdmin(new DuckDbAuthStore(db.connection));
  if (ticket) {
    process.stdout.write(`\nFirst login: open this one-time link to set the "${ticket.login}" password and scan the TOTP code\n` +
      `  ${setupLink(`http://${shown}:${boundPort}`, ticket.setupToken)}\n` +
      `  (valid until ${new Date(ticket.expiresAtMs).toISOString()}; a new link is printed at each start until setup is done)\n`);
  }

  const stop = async () => {
    await app.close();
    db.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
