/**
 * bench:coldstart — time from spawning the server on an EXISTING embedded database (the demo
 * organisation, seeded once) to `/healthz` answering 200, polled every 5 ms. Measured the same
 * way, interleaved, for:
 *   - Kefu: `node --import tsx apps/server/src/cli.ts start --demo` (the server `npm start` runs);
 *   - Kefu through the `tsx` CLI wrapper, exactly as `npm start` invokes it (one extra process);
 *   - baseline: a bare Fastify process under the same loader (`bench/lib/bare-fastify.ts`).
 * The first run of each is a warm-up (tsx's transform cache) and reported apart.
 *
 *   npm run bench:coldstart -- [--runs 7] [--no-write]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { build as esbuild } from 'esbuild';
import os from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot, writeSection } from '../lib/report.ts';
import { CLI, codeVersion, fmt, freePort, median, newStore, probe, procCpuMs, startKefu } from '../lib/kefu.ts';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '7' }, 'no-write': { type: 'boolean', default: false } } });
const RUNS = Number(args.runs);

/** `cpu`: the spawned process is the server itself, so its CPU time to ready is measurable. */
interface Variant { name: string; cmd: string; argv: string[]; env: Record<string, string>; cpu: boolean }

/** Spawn, poll /healthz until 200, return the elapsed ms; then stop the whole process group. */
async function timeToReady(v: Variant): Promise<{ ms: number; cpuMs: number }> {
  const port = await freePort();
  const t0 = performance.now();
  const proc = spawn(v.cmd, v.argv, {
    cwd: repoRoot,
    env: { ...process.env, ...v.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so the tsx wrapper and its child both stop
  });
  const stopGroup = () => {
    try {
      process.kill(-proc.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', stopGroup); // a failing bench leaves no server behind
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise((r) => proc.once('exit', r));
  let ms = NaN;
  let cpuMs = NaN;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${v.name} exited before ready:\n${out}`);
    if ((await probe(`http://127.0.0.1:${port}/healthz`, 500)) === 200) {
      ms = performance.now() - t0;
      if (v.cpu) cpuMs = procCpuMs(proc.pid!);
      break;
    }
    if (performance.now() - t0 > 60_000) throw new Error(`${v.name} not ready in 60 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  process.kill(-proc.pid!, 'SIGTERM');
  const t = setTimeout(() => process.kill(-proc.pid!, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
  process.off('exit', stopGroup);
  return { ms, cpuMs };
}

async function main() {
  const load0 = os.loadavg();
  console.log(`bench:coldstart · ${RUNS} runs each (+1 warm-up) · load avg ${load0.map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores (shared, noisy)`);
  // Seed once: the demo organisation (agents, a few hundred contacts, orders, conversations).
  const store = await newStore('sqlite');
  delete store.env.KEFU_BOOTSTRAP_ADMIN_EMAIL;
  delete store.env.KEFU_BOOTSTRAP_ADMIN_PASSWORD;
  const seeded = await startKefu(store, { args: ['--demo'] });
  if (!/Demo organisation/.test(seeded.output())) throw new Error(`demo was not seeded:\n${seeded.output()}`);
  await seeded.stop();

  // `npm start` runs the esbuild bundle of the server (scripts/build-server.mjs); the baseline is
  // bundled the same way so both start as plain node on one JavaScript file.
  execFileSync(process.execPath, [resolve(repoRoot, 'scripts/build-server.mjs'), '--force'], { stdio: 'inherit' });
  const baseDir = mkdtempSync(join(os.tmpdir(), 'kefu-coldstart-'));
  const baseBundle = join(baseDir, 'bare-fastify.mjs');
  await esbuild({ entryPoints: [resolve(repoRoot, 'bench/lib/bare-fastify.ts')], outfile: baseBundle, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
  // Resolve the baseline's dependencies (fastify) from the repository.
  symlinkSync(resolve(repoRoot, 'node_modules'), join(baseDir, 'node_modules'));
  const variants: Variant[] = [
    { name: 'Kefu as `npm start` runs it: node apps/server/dist/cli.js start --demo', cmd: process.execPath, argv: [resolve(repoRoot, 'apps/server/dist/cli.js'), 'start', '--demo'], env: store.env, cpu: true },
    { name: 'Kefu from source through tsx: node --import tsx apps/server/src/cli.ts start --demo', cmd: process.execPath, argv: ['--import', 'tsx', CLI, 'start', '--demo'], env: store.env, cpu: true },
    { name: 'baseline: bare Fastify, bundled the same way (node bare-fastify.mjs)', cmd: process.execPath, argv: [baseBundle], env: {}, cpu: true },
  ];
  const samples = variants.map(() => [] as number[]);
  const cpu = variants.map(() => [] as number[]);
  const warm: number[] = [];
  for (const v of variants) warm.push((await timeToReady(v)).ms);
  for (let r = 0; r < RUNS; r++) {
    for (let i = 0; i < variants.length; i++) {
      const { ms, cpuMs } = await timeToReady(variants[i]!);
      samples[i]!.push(ms);
      cpu[i]!.push(cpuMs);
    }
    console.log(`run ${r + 1}: ${variants.map((v, i) => `${fmt(samples[i]![r]!, 0)} ms`).join(' | ')}`);
  }
  store.remove();

  const med = samples.map((s) => median(s));
  const rows = variants.map(
    (v, i) =>
      `| ${v.name} | ${fmt(med[i]!, 0)} | ${fmt(Math.min(...samples[i]!), 0)} – ${fmt(Math.max(...samples[i]!), 0)} | ${v.cpu ? fmt(median(cpu[i]!), 0) : '—'} | ${fmt(warm[i]!, 0)} | ${samples[i]!.map((x) => fmt(x, 0)).join(', ')} |`,
  );
  const cpuKefu = median(cpu[0]!);
  const cpuBase = median(cpu[2]!);
  const kefu = med[0]!;
  const viaTsx = med[1]!; // from source: shown for comparison, not the bar
  const base = med[2]!;
  const md = `## coldstart — spawn to \`/healthz\` 200 on an existing database

Server code measured: ${codeVersion()}.

\`npm run bench:coldstart\` · embedded SQLite holding the demo organisation (seeded once by a first \`start --demo\`), so each start finds existing data: config, open + migrate check, key ring, app and routes, Socket.IO, listen. Time from \`spawn()\` to the first \`/healthz\` 200 (polled every 5 ms), ${RUNS} interleaved runs per variant after one warm-up each; the **2 cores** are shared with other engineers' work (load average at start ${load0.map((x) => x.toFixed(1)).join(' / ')}), so read medians and the ratio.

| variant | median ms | min – max ms | CPU to ready, median ms | warm-up run ms | runs ms |
|---|---|---|---|---|---|
${rows.join('\n')}

- Kefu / bare Fastify under the same loader: ×${fmt(kefu / base, 1)} in wall time (Kefu's own start-up ≈ ${fmt(kefu - base, 0)} ms on top of node + tsx + Fastify); ×${fmt(cpuKefu / cpuBase, 1)} in CPU time (user + system of the process, all threads, from /proc when \`/healthz\` first answers — less sensitive to the machine's other tenants than wall time).
- \`npm start\` additionally runs \`scripts/ensure-web.mjs\` (an mtime check when the web build is current; not measured here because a stale build would rebuild \`apps/web\`).
- Bar (DESIGN 2.5): embedded cold start as \`npm start\` runs it ${fmt(kefu, 0)} ms ${kefu < 2000 ? '<' : '≥'} 2,000 ms ${kefu < 2000 ? '✅' : '❌'} (from source through tsx: ${fmt(viaTsx, 0)} ms).`;
  console.log(`\n${md}`);
  if (!args['no-write']) writeSection('coldstart', md);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
