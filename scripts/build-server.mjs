#!/usr/bin/env node
// Bundle the server's own TypeScript (apps/server and the workspace packages) into one ESM file,
// dependencies left as imports from node_modules. `npm start` runs the bundle: loading and
// transpiling a few hundred .ts modules through tsx at every start costs more than the server's
// whole boot. Rebuilt only when a source is newer than the bundle (or with --force).
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'apps/server/dist/cli.js');
const sources = [join(root, 'apps/server/src'), ...readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'src'))];

function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((n) => newest(join(path, n))));
}

if (!process.argv.includes('--force') && existsSync(out) && statSync(out).mtimeMs >= Math.max(...sources.map(newest))) process.exit(0);

// Every dependency of the server and the packages stays external; only workspace code is bundled.
const manifests = [join(root, 'apps/server/package.json'), ...readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'package.json'))];
const external = new Set();
for (const m of manifests) {
  const pkg = JSON.parse(readFileSync(m, 'utf8'));
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) if (!dep.startsWith('@kefu/')) external.add(dep);
}

await build({
  entryPoints: [join(root, 'apps/server/src/cli.ts')],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: [...external].flatMap((d) => [d, `${d}/*`]),
  logLevel: 'warning',
  // Bundled CommonJS helpers may call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __kefuCreateRequire } from 'node:module'; const require = __kefuCreateRequire(import.meta.url);" },
});
