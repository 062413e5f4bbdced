// `npm start`: build the front end if it has not been built, then start the server (TypeScript via tsx).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'web', 'build', 'index.html');
if (!fs.existsSync(built) && fs.existsSync(path.join(root, 'web', 'svelte.config.js'))) {
  process.stdout.write('Building the web front end (first start)...\n');
  const result = spawnSync('npm', ['run', 'build:web'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
register();
const { start } = await import('../server/main.ts');
await start();
