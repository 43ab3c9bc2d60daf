#!/usr/bin/env node
// Build the web app when its output is missing or older than its sources, so `npm start` on a
// fresh clone serves the workbench, and later starts do not pay for a rebuild.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const web = new URL('../apps/web/', import.meta.url).pathname;
const shared = new URL('../packages/shared/src/', import.meta.url).pathname;
const out = join(web, 'dist/index.html');

function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).filter((n) => n !== 'node_modules' && n !== 'dist').map((n) => newest(join(path, n))));
}

if (!existsSync(join(web, 'package.json'))) process.exit(0);
const built = existsSync(out) ? statSync(out).mtimeMs : 0;
const sources = Math.max(newest(join(web, 'src')), newest(join(web, 'index.html')), newest(join(web, 'vite.config.ts')), newest(shared));
if (built >= sources) process.exit(0);
console.log('Building the web app (first start, or its sources changed)…');
execSync('npm run build --workspace @kefu/web --silent', { stdio: 'inherit', cwd: new URL('..', import.meta.url).pathname });
