/**
 * Agent accounts for the benches: created through the API by the bootstrap admin
 * (`POST /api/v1/agents`), then logged in with password + TOTP (first login enrols TOTP) by
 * `Api.login`. Logins are password-hashed on the server, so a few run at once, not hundreds.
 */
import type { Tier } from '@kefu/shared';
import { Api } from './kefu.ts';

export interface BenchAgent { email: string; tier: Tier; api: Api; cookie: string }

/** Create and log in `n` agents of one tier; `parallel` logins in flight at a time. */
export async function createAgents(admin: Api, n: number, opts: { tier: Tier; prefix: string; parallel?: number; onProgress?: (done: number) => void }): Promise<BenchAgent[]> {
  const out: BenchAgent[] = new Array(n);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (;;) {
      const k = next++;
      if (k >= n) return;
      const email = `${opts.prefix}${k}@bench.kefu.local`;
      const password = `bench-agent-password-${opts.prefix}-${k}`;
      await admin.ok('POST', '/api/v1/agents', { email, name: `压测客服${opts.prefix}${k}`, tier: opts.tier, password });
      const { api } = await Api.login(admin.url, email, password);
      out[k] = { email, tier: opts.tier, api, cookie: api.cookie! };
      done++;
      opts.onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.parallel ?? 4) }, worker));
  return out;
}

/** Poll until `probe` returns true or `timeoutMs` passes; returns whether it became true. */
export async function until(probe: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
