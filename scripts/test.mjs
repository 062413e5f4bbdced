// `npm test`: everything from unit to browser, on a fresh machine too. Installs Debian's Chromium
// when it is missing (browser tests drive /usr/bin/chromium), builds the front end when its
// sources are newer than the build, runs vitest once, and closes with one "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });

function ensureChromium() {
  if (fs.existsSync('/usr/bin/chromium')) return;
  process.stdout.write('Chromium is missing: installing Debian\'s chromium for the browser tests...\n');
  const sudo = process.getuid && process.getuid() !== 0 ? ['sudo'] : [];
  const apt = (args) => run(sudo[0] ?? 'apt-get', [...(sudo.length ? ['apt-get'] : []), ...args], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  apt(['update']);
  const installed = apt(['install', '-y', '--no-install-recommends', 'chromium', 'fonts-dejavu-core']);
  if (installed.status !== 0 || !fs.existsSync('/usr/bin/chromium')) {
    process.stderr.write('Could not install chromium with apt-get; browser tests will fail.\n');
  }
}

function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function ensureWebBuild() {
  const web = path.join(root, 'web');
  if (!fs.existsSync(path.join(web, 'svelte.config.js'))) return;
  const built = path.join(web, 'build', 'index.html');
  const sourceTime = Math.max(newestMtime(path.join(web, 'src')), fs.statSync(path.join(web, 'svelte.config.js')).mtimeMs);
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sourceTime) return;
  process.stdout.write('Building the web front end for the browser tests...\n');
  const result = run('npm', ['run', 'build:web']);
  if (result.status !== 0) process.exit(result.status ?? 1);
}

ensureChromium();
ensureWebBuild();

const report = path.join(root, '.tmp', 'vitest-report.json');
fs.mkdirSync(path.dirname(report), { recursive: true });
fs.rmSync(report, { force: true });
const vitest = run(process.execPath, [
  path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run',
  '--reporter=default', '--reporter=json', `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]);

let passed = 0, failed = 0, skipped = 0;
if (fs.existsSync(report)) {
  const json = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed = json.numPassedTests ?? 0;
  failed = json.numFailedTests ?? 0;
  // A file that fails to load has no failed tests of its own: count it once so it can't hide.
  failed += (json.testResults ?? []).filter((r) => r.status === "failed" && (r.assertionResults ?? []).every((a) => a.status !== "failed")).length;
  skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
} else {
  failed = 1;
}
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(vitest.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
