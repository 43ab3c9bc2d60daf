#!/usr/bin/env node
/**
 * `kefu` — start the server, migrate, seed the demo, import CSV, manage agents.
 *   kefu start [--demo]          start (with --demo: seed the demo organisation on an empty database)
 *   kefu migrate                 apply database migrations and exit
 *   kefu demo                    add a demo organisation and print its logins
 *   kefu import contacts|orders FILE [--org ID]
 *   kefu admin create-agent --email E --name N --tier basic|senior|admin [--password P] [--org ID]
 *   kefu token PLATFORM_ID [--nickname N] [--org ID]   sign a customer token as the platform would
 *   kefu export --from DATE --to DATE [--format csv|jsonl] [--agent ID] [--business-type T] --out FILE [--org ID]
 *   kefu audit verify [--org ID]  check the audit hash chain; names the first tampered entry
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { TIERS, type BusinessType, type Tier } from '@kefu/shared';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './infra/db/index.ts';
import { KeyRing } from './lib/crypto.ts';
import { EventBus, systemClock } from './domain/bus.ts';
import type { Ctx } from './domain/context.ts';
import { orgRepo } from './domain/orgs/repository.ts';
import { createAgent } from './domain/agents/service.ts';
import { issueCustomerToken } from './domain/platform/customers.ts';
import { randomToken } from './lib/ids.ts';
import { seedDemo } from './demo/seed.ts';
import { platformCeiling } from './domain/tiers/policy.ts';
import { writeExport } from './domain/oversight/export.ts';
import { verifyAuditChain } from './domain/audit/service.ts';
import { startServer } from './index.ts';

const HELP = `Usage:
  kefu start [--demo]
  kefu migrate
  kefu demo
  kefu import contacts|orders FILE [--org ID]
  kefu admin create-agent --email E --name N --tier basic|senior|admin [--password P] [--org ID]
  kefu token PLATFORM_ID [--nickname N] [--org ID]
  kefu export --from DATE --to DATE [--format csv|jsonl] [--agent ID] [--business-type T] --out FILE [--org ID]
  kefu audit verify [--org ID]`;

async function offlineCtx(): Promise<Ctx> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
  const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, pgPoolSize: 4 });
  await database.migrate();
  const platform = { domains: config.platformDomains, tierCeiling: platformCeiling(config.tierCeilingJson) };
  return { database, keys: KeyRing.loadOrCreate(config.dataDir, config.keysJson), bus: new EventBus(), clock: systemClock, log, platform, dataDir: config.dataDir };
}

async function orgId(ctx: Ctx, given: string | undefined): Promise<string> {
  if (given) return given;
  const org = await orgRepo.first(ctx.database.db);
  if (!org) throw new Error('No organisation yet: run `kefu start` once, or `kefu demo`.');
  return org.id;
}

function progressBar(total: number | null) {
  const started = Date.now();
  return (done: number) => {
    if (!process.stderr.isTTY) return;
    const rate = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
    const bar = total ? `[${'#'.repeat(Math.round((done / total) * 30)).padEnd(30, '.')}] ` : '';
    process.stderr.write(`\r${bar}${done}${total ? `/${total}` : ''} rows · ${rate}/s`);
  };
}

async function main(argv: string[]) {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'start': {
      const { values } = parseArgs({ args: rest, options: { demo: { type: 'boolean', default: false } } });
      const t0 = performance.now();
      const server = await startServer({ demo: values.demo });
      console.log(server.banner);
      const cpu = process.cpuUsage();
      server.app.log.info(
        { ms: Math.round(performance.now() - t0), sinceProcessStartMs: Math.round(process.uptime() * 1000), cpuMs: Math.round((cpu.user + cpu.system) / 1000), database: server.ctx.database.dialect },
        'ready',
      );
      const stop = async (signal: string) => {
        server.app.log.info({ signal }, 'shutting down');
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
      return;
    }
    case 'migrate': {
      const ctx = await offlineCtx();
      const applied = await ctx.database.migrate();
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
      await ctx.database.close();
      return;
    }
    case 'demo': {
      const ctx = await offlineCtx();
      const d = await seedDemo(ctx, { domain: `demo${Date.now().toString(36)}.kefu.local` });
      console.log(`Demo organisation ${d.orgName} (${d.orgId}):`);
      for (const a of d.agents) console.log(`  ${a.tier.padEnd(6)} ${a.email}  password: ${a.password}`);
      console.log(`Customer token for ${d.customer.nickname}: ${d.customer.token}`);
      await ctx.database.close();
      return;
    }
    case 'import': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { org: { type: 'string' } } });
      const [kind, file] = positionals;
      if ((kind !== 'contacts' && kind !== 'orders') || !file) throw new Error(HELP);
      const ctx = await offlineCtx();
      const { importCsv } = await import('./domain/platform/csv.ts');
      const report = await importCsv(ctx, await orgId(ctx, values.org), kind, file, progressBar(null));
      if (process.stderr.isTTY) process.stderr.write('\n');
      console.log(`Imported ${report.imported} ${kind}; ${report.errors.length} rows refused.`);
      for (const e of report.errors.slice(0, 50)) console.log(`  line ${e.line}: ${e.message}`);
      await ctx.database.close();
      process.exitCode = report.errors.length ? 1 : 0;
      return;
    }
    case 'admin': {
      const [sub, ...args] = rest;
      if (sub !== 'create-agent') throw new Error(HELP);
      const { values } = parseArgs({
        args,
        options: { email: { type: 'string' }, name: { type: 'string' }, tier: { type: 'string' }, password: { type: 'string' }, org: { type: 'string' } },
      });
      if (!values.email || !values.name || !TIERS.includes(values.tier as Tier)) throw new Error(HELP);
      const ctx = await offlineCtx();
      const password = values.password ?? randomToken(12);
      const agent = await createAgent(ctx, { orgId: await orgId(ctx, values.org), email: values.email, name: values.name, tier: values.tier as Tier, password });
      console.log(`Created ${agent.tier} agent ${agent.email}${values.password ? '' : `  password: ${password}  (shown once)`}`);
      await ctx.database.close();
      return;
    }
    case 'token': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { nickname: { type: 'string' }, org: { type: 'string' } } });
      if (!positionals[0]) throw new Error(HELP);
      const ctx = await offlineCtx();
      console.log(await issueCustomerToken(ctx, await orgId(ctx, values.org), positionals[0], values.nickname ?? positionals[0]));
      await ctx.database.close();
      return;
    }
    case 'export': {
      const { values } = parseArgs({
        args: rest,
        options: { from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string', default: 'csv' }, agent: { type: 'string' }, 'business-type': { type: 'string' }, out: { type: 'string' }, org: { type: 'string' } },
      });
      if (!values.from || !values.to || !values.out || (values.format !== 'csv' && values.format !== 'jsonl')) throw new Error(HELP);
      const ctx = await offlineCtx();
      let bar: ((done: number) => void) | null = null;
      const r = await writeExport(
        ctx,
        await orgId(ctx, values.org),
        {
          from: new Date(values.from).toISOString(), to: new Date(values.to).toISOString(), format: values.format,
          ...(values.agent ? { agentId: values.agent } : {}), ...(values['business-type'] ? { businessType: values['business-type'] as BusinessType } : {}),
        },
        values.out,
        (rows, total) => {
          bar ??= progressBar(total);
          bar(rows);
        },
      );
      if (process.stderr.isTTY) process.stderr.write('\n');
      console.log(`Exported ${r.rows} messages (${r.bytes} bytes) to ${values.out}`);
      await ctx.database.close();
      return;
    }
    case 'audit': {
      const [sub, ...args] = rest;
      if (sub !== 'verify') throw new Error(HELP);
      const { values } = parseArgs({ args, options: { org: { type: 'string' } } });
      const ctx = await offlineCtx();
      const r = await verifyAuditChain(ctx, await orgId(ctx, values.org));
      console.log(r.ok ? `Audit chain intact: ${r.entries} entries.` : `Audit chain BROKEN at entry ${r.firstBad}: ${r.reason} (${r.entries} entries verified before it).`);
      await ctx.database.close();
      process.exitCode = r.ok ? 0 : 1;
      return;
    }
    default:
      console.log(HELP);
      process.exitCode = cmd ? 2 : 0;
  }
}

main(process.argv.slice(2)).catch((e) => {
  if (e instanceof ConfigError) console.error(e.message);
  else console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
