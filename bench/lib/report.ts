import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

/** The repository root, wherever the bench is run from. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Where the public data sets live (never committed): `--data DIR`, else `KEFU_SHARED_DATA`,
 * else `../shared/data` beside the repository.
 */
export function sharedDataDir(argv: string[] = process.argv): string {
  const i = argv.indexOf('--data');
  if (i >= 0 && argv[i + 1]) return resolve(argv[i + 1]!);
  if (process.env.KEFU_SHARED_DATA) return resolve(process.env.KEFU_SHARED_DATA);
  return resolve(repoRoot, '../shared/data');
}

/** A one-line description of the machine, printed under every section. */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · Node ${process.version} · ${os.cpus().length}× ${cpu} · ${Math.round(os.totalmem() / 2 ** 30)} GiB`;
}

/**
 * Replace (or append) one bench's section in BENCHMARKS.md, between markers, so several
 * benches can write the same file without clobbering each other.
 */
export function writeSection(name: string, markdown: string, file = resolve(repoRoot, 'BENCHMARKS.md')): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n\n_Measured ${machineLine()}._\n${end}`;
  let text = existsSync(file)
    ? readFileSync(file, 'utf8')
    : '# Benchmarks\n\nEach section is written by its bench (`npm run bench:<name>`), with the same-run baseline beside it. Machines are shared and noisy: read ratios and medians.\n';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a >= 0 && b > a) text = text.slice(0, a) + block + text.slice(b + end.length);
  else text = `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, text);
}

/** Percentile of a numeric sample (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}
