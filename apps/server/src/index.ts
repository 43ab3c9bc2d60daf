/** Programmatic start, for tests, benches and embedding. */
import { loadConfig, type Config } from './config.ts';
import { buildApp } from './app.ts';
import { bootstrap, describeBootstrap, type BootstrapResult } from './bootstrap.ts';
import type { Clock } from './domain/bus.ts';

export { buildApp } from './app.ts';
export { loadConfig } from './config.ts';
export type { Config } from './config.ts';

export interface StartOptions {
  dataDir?: string;
  port?: number;
  host?: string;
  /** Extra environment (DATABASE_URL, KEFU_KEYS, …); the process environment is not read when given. */
  env?: Record<string, string | undefined>;
  /** Seed the demo organisation on an empty database (default true). */
  demo?: boolean;
  clock?: Clock;
  logLevel?: Config['logLevel'];
}

export async function startServer(opts: StartOptions = {}) {
  const env = { ...(opts.env ?? process.env) };
  if (opts.dataDir) env.KEFU_DATA_DIR = opts.dataDir;
  if (opts.port !== undefined) env.PORT = String(opts.port);
  if (opts.host) env.HOST = opts.host;
  if (opts.logLevel) env.LOG_LEVEL = opts.logLevel;
  else if (opts.env) env.LOG_LEVEL ??= 'warn';
  const config = loadConfig(env);
  const built = await buildApp(config, opts.clock ? { clock: opts.clock } : {});
  const boot: BootstrapResult = await bootstrap(built.ctx, config, { demo: opts.demo ?? true });
  await built.app.listen({ host: config.host, port: config.port });
  const addr = built.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = config.publicUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  const demo = boot.kind === 'demo'
    ? {
        ...boot.demo,
        adminEmail: boot.demo.agents.find((a) => a.tier === 'admin')!.email,
        adminPassword: boot.demo.agents.find((a) => a.tier === 'admin')!.password,
        customerUrl: `${url}/c?token=${boot.demo.customer.token}`,
      }
    : null;
  return {
    url,
    port,
    config,
    ...built,
    boot,
    demo,
    banner: describeBootstrap(boot, url),
    close: () => built.app.close(),
  };
}
