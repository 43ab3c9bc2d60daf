/**
 * First start on an empty database: either the demo organisation (`--demo`, what `npm start`
 * uses) or one organisation with its first admin, from KEFU_BOOTSTRAP_ADMIN_* or generated.
 * Credentials are printed once and never stored in clear.
 */
import type { Config } from './config.ts';
import type { Ctx } from './domain/context.ts';
import { orgRepo } from './domain/orgs/repository.ts';
import { createOrganisation } from './domain/orgs/service.ts';
import { createAgent } from './domain/agents/service.ts';
import { randomToken } from './lib/ids.ts';
import { seedDemo, type DemoResult } from './demo/seed.ts';

export type BootstrapResult =
  | { kind: 'existing' }
  | { kind: 'demo'; demo: DemoResult }
  | { kind: 'admin'; orgId: string; email: string; password: string | null; platformSecret: string; webhookSecret: string };

export async function bootstrap(ctx: Ctx, config: Config, opts: { demo: boolean }): Promise<BootstrapResult> {
  if ((await orgRepo.count(ctx.database.db)) > 0) return { kind: 'existing' };
  if (opts.demo && !config.bootstrapAdmin) return { kind: 'demo', demo: await seedDemo(ctx) };
  const org = await createOrganisation(ctx, 'Kefu');
  const email = config.bootstrapAdmin?.email ?? 'admin@kefu.local';
  const password = config.bootstrapAdmin?.password ?? randomToken(12);
  await createAgent(ctx, { orgId: org.id, email, name: '管理员', tier: 'admin', password });
  return { kind: 'admin', orgId: org.id, email, password: config.bootstrapAdmin ? null : password, platformSecret: org.platformSecret, webhookSecret: org.webhookSecret };
}

export function describeBootstrap(r: BootstrapResult, url: string): string {
  const lines: string[] = [];
  if (r.kind === 'existing') {
    lines.push(`Kefu is ready: ${url}/`, '  (existing data; logins were printed at first start)');
  } else if (r.kind === 'demo') {
    const d = r.demo;
    lines.push(
      `Kefu is ready: ${url}/`,
      '',
      `Demo organisation 「${d.orgName}」 — these passwords are shown once:`,
      ...d.agents.map((a) => `  ${a.tier.padEnd(6)} ${a.name}  ${a.email}  password: ${a.password}`),
      '  First login asks you to enrol an authenticator app (TOTP).',
      '',
      `Customer page for demo user ${d.customer.nickname} (${d.customer.platformId}):`,
      `  ${url}/c?token=${d.customer.token}`,
      '',
      `Platform secrets (customer tokens / webhooks): ${d.platformSecret} / ${d.webhookSecret}`,
      `API reference: ${url}/api/docs`,
    );
  } else {
    lines.push(
      `Kefu is ready: ${url}/`,
      `First admin: ${r.email}${r.password ? `  password: ${r.password}  (shown once)` : ' (password from KEFU_BOOTSTRAP_ADMIN_PASSWORD)'}`,
      `Organisation ${r.orgId}; platform secrets (customer tokens / webhooks): ${r.platformSecret} / ${r.webhookSecret}`,
      `API reference: ${url}/api/docs`,
    );
  }
  return lines.join('\n');
}
