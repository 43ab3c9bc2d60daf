/** Agents and their sign-in: argon2id passwords, TOTP second factor, server-side sessions. */
import { hash, verify } from '@node-rs/argon2';
import { generate as totpGenerate, generateSecret, generateURI, verify as totpVerify } from 'otplib';
import { KefuError, LIMITS, type Tier } from '@kefu/shared';
import { isUniqueViolation } from '../../infra/db/index.ts';
import { sha256 } from '../../lib/crypto.ts';
import { newId, randomToken } from '../../lib/ids.ts';
import type { AgentActor } from '../actors.ts';
import type { Ctx } from '../context.ts';
import { presentAgent } from '../presenters.ts';
import { agentRepo, sessionRepo } from './repository.ts';
import { appendAuditTx } from '../audit/service.ts';

// argon2id, OWASP's second recommended profile (19 MiB, t=2, p=1).
const ARGON = { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 as const };
// A precomputed hash for unknown emails, so a miss costs as much as a hit (no user enumeration).
let dummyHash: Promise<string> | null = null;

export interface CreateAgentInput { orgId: string; email: string; name: string; tier: Tier; password: string }

export async function createAgent(ctx: Ctx, input: CreateAgentInput) {
  const email = input.email.trim().toLowerCase();
  if (input.password.length < LIMITS.passwordMin) {
    throw new KefuError('VALIDATION_FAILED', `The password needs at least ${LIMITS.passwordMin} characters.`, { field: 'password' });
  }
  const row = {
    id: newId(),
    org_id: input.orgId,
    email,
    name: input.name.trim(),
    tier: input.tier,
    password_hash: await hash(input.password, ARGON),
    totp_secret_enc: null,
    totp_pending_enc: null,
    totp_last_step: 0,
    failed_logins: 0,
    locked_until: null,
    disabled: 0,
    created_at: ctx.clock.now(),
  };
  try {
    await ctx.database.write((trx) => agentRepo.insert(trx, row));
  } catch (e) {
    if (isUniqueViolation(e)) throw new KefuError('EMAIL_TAKEN');
    throw e;
  }
  return presentAgent(row);
}

export interface LoginResult { sessionToken: string; next: 'totp_enroll' | 'totp_verify'; agentId: string }

export async function login(ctx: Ctx, email: string, password: string, meta: { ip: string | null; userAgent: string | null }): Promise<LoginResult> {
  const agent = await agentRepo.byEmail(ctx.database.db, email.trim().toLowerCase());
  const now = ctx.clock.now();
  if (!agent) {
    dummyHash ??= hash('not-a-real-password', ARGON);
    await verify(await dummyHash, password).catch(() => false);
    throw new KefuError('INVALID_CREDENTIALS');
  }
  if (agent.locked_until && agent.locked_until > now) {
    throw new KefuError('ACCOUNT_LOCKED', undefined, { retryAt: new Date(agent.locked_until).toISOString() });
  }
  const ok = await verify(agent.password_hash, password).catch(() => false);
  if (!ok) {
    const failures = agent.failed_logins + 1;
    const lock = failures >= LIMITS.loginFailuresBeforeLock;
    await ctx.database.write((trx) =>
      agentRepo.update(trx, agent.id, {
        failed_logins: lock ? 0 : failures,
        locked_until: lock ? now + LIMITS.loginLockMinutes * 60_000 : agent.locked_until,
      }),
    );
    if (lock) throw new KefuError('ACCOUNT_LOCKED', undefined, { retryAt: new Date(now + LIMITS.loginLockMinutes * 60_000).toISOString() });
    throw new KefuError('INVALID_CREDENTIALS');
  }
  if (agent.disabled) throw new KefuError('ACCOUNT_DISABLED');
  const token = randomToken(32);
  await ctx.database.write(async (trx) => {
    await agentRepo.update(trx, agent.id, { failed_logins: 0, locked_until: null });
    await sessionRepo.insert(trx, {
      id: sha256(token),
      agent_id: agent.id,
      mfa_passed: 0,
      created_at: now,
      last_seen_at: now,
      expires_at: now + LIMITS.sessionIdleHours * 3_600_000,
      user_agent: meta.userAgent?.slice(0, 512) ?? null,
      ip: meta.ip,
    });
  });
  return { sessionToken: token, next: agent.totp_secret_enc ? 'totp_verify' : 'totp_enroll', agentId: agent.id };
}

/** Resolve a session cookie to an actor (or null). Slides the idle expiry at most once a minute. */
export async function resolveSession(ctx: Ctx, token: string): Promise<AgentActor | null> {
  return resolveSessionId(ctx, sha256(token));
}

/** The same by the stored session id: long-lived sockets re-read tier, restriction and expiry per action. */
export async function resolveSessionId(ctx: Ctx, id: string): Promise<AgentActor | null> {
  const row = await sessionRepo.withAgent(ctx.database.db, id);
  const now = ctx.clock.now();
  if (!row || row.expires_at <= now || row.disabled) return null;
  if (now - row.last_seen_at > 60_000) {
    void ctx.database
      .write((trx) => sessionRepo.update(trx, id, { last_seen_at: now, expires_at: now + LIMITS.sessionIdleHours * 3_600_000 }))
      .catch((e) => ctx.log.warn({ err: e }, 'session touch failed'));
  }
  return { kind: 'agent', agentId: row.agent_id, orgId: row.org_id, tier: row.tier as Tier, name: row.name, sessionId: id, mfa: !!row.mfa_passed, restricted: !!row.send_restricted };
}

export async function logout(ctx: Ctx, sessionId: string) {
  await ctx.database.write((trx) => sessionRepo.delete(trx, sessionId));
}

export async function enrollTotp(ctx: Ctx, actor: AgentActor) {
  const agent = await agentRepo.byId(ctx.database.db, actor.agentId);
  if (!agent) throw new KefuError('AGENT_NOT_FOUND');
  if (agent.totp_secret_enc) throw new KefuError('TOTP_ALREADY_ENROLLED');
  const secret = generateSecret();
  await ctx.database.write((trx) => agentRepo.update(trx, agent.id, { totp_pending_enc: ctx.keys.encrypt(secret) }));
  return { secret, otpauthUrl: generateURI({ issuer: 'Kefu', label: agent.email, secret }) };
}

export async function verifyTotp(ctx: Ctx, actor: AgentActor, code: string) {
  const agent = await agentRepo.byId(ctx.database.db, actor.agentId);
  if (!agent) throw new KefuError('AGENT_NOT_FOUND');
  const enrolled = agent.totp_secret_enc;
  const secretEnc = enrolled ?? agent.totp_pending_enc;
  if (!secretEnc) throw new KefuError('TOTP_NOT_ENROLLED');
  const secret = ctx.keys.decrypt(secretEnc);
  const epoch = Math.floor(ctx.clock.now() / 1000);
  // One step of tolerance either way for clock drift between the phone and the server.
  const result = await totpVerify({ secret, token: code, epoch, epochTolerance: 30 }).catch(() => ({ valid: false }) as const);
  if (!result.valid || !('timeStep' in result)) throw new KefuError('TOTP_INVALID');
  const step = Number(result.timeStep);
  await ctx.database.write(async (trx) => {
    if (!(await agentRepo.consumeTotpStep(trx, agent.id, step))) throw new KefuError('TOTP_REPLAYED');
    if (!enrolled) await agentRepo.update(trx, agent.id, { totp_secret_enc: secretEnc, totp_pending_enc: null });
    await sessionRepo.update(trx, actor.sessionId, { mfa_passed: 1 });
  });
  const fresh = await agentRepo.byId(ctx.database.db, agent.id);
  return presentAgent(fresh!);
}

export async function getAgent(ctx: Ctx, agentId: string) {
  const a = await agentRepo.byId(ctx.database.db, agentId);
  if (!a) throw new KefuError('AGENT_NOT_FOUND');
  return presentAgent(a);
}

export async function listAgents(ctx: Ctx, orgId: string) {
  return (await agentRepo.listByOrg(ctx.database.db, orgId)).map(presentAgent);
}

/** For tests and the CLI: the current code of a secret. */
export function currentTotp(secret: string, epoch?: number) {
  return totpGenerate({ secret, ...(epoch !== undefined ? { epoch } : {}) });
}

/** Admin: change an agent's tier, name or enabled state. Disabling ends their sessions and sockets at once. */
export async function updateAgent(ctx: Ctx, actor: AgentActor, agentId: string, patch: { tier?: Tier; name?: string; disabled?: boolean }) {
  const agent = await agentRepo.byId(ctx.database.db, agentId);
  if (!agent || agent.org_id !== actor.orgId) throw new KefuError('AGENT_NOT_FOUND');
  if (agentId === actor.agentId && (patch.disabled || (patch.tier && patch.tier !== 'admin'))) {
    throw new KefuError('CONFLICT', 'You cannot disable or demote yourself; ask another admin.');
  }
  const changes: Record<string, { old: unknown; new: unknown }> = {};
  if (patch.tier !== undefined && patch.tier !== agent.tier) changes.tier = { old: agent.tier, new: patch.tier };
  if (patch.name !== undefined && patch.name.trim() !== agent.name) changes.name = { old: agent.name, new: patch.name.trim() };
  if (patch.disabled !== undefined && patch.disabled !== !!agent.disabled) changes.disabled = { old: !!agent.disabled, new: patch.disabled };
  await ctx.database.write(async (trx) => {
    await agentRepo.update(trx, agentId, {
      ...(changes.tier ? { tier: patch.tier } : {}),
      ...(changes.name ? { name: patch.name!.trim() } : {}),
      ...(changes.disabled ? { disabled: patch.disabled ? 1 : 0 } : {}),
    });
    if (patch.disabled) await sessionRepo.deleteForAgent(trx, agentId);
    if (Object.keys(changes).length) await appendAuditTx(ctx, trx, actor.orgId, { actor: `a:${actor.agentId}`, action: 'agent.updated', subject: agentId, data: changes });
  });
  if (patch.disabled && changes.disabled) ctx.bus.emit('agent.disabled', { orgId: actor.orgId, agentId });
  return presentAgent((await agentRepo.byId(ctx.database.db, agentId))!);
}

/** Admin: clear an agent's second factor (lost phone); their sessions end and the next login enrols again. */
export async function resetSecondFactor(ctx: Ctx, actor: AgentActor, agentId: string) {
  const agent = await agentRepo.byId(ctx.database.db, agentId);
  if (!agent || agent.org_id !== actor.orgId) throw new KefuError('AGENT_NOT_FOUND');
  await ctx.database.write(async (trx) => {
    await agentRepo.update(trx, agentId, { totp_secret_enc: null, totp_pending_enc: null });
    await sessionRepo.deleteForAgent(trx, agentId);
    await appendAuditTx(ctx, trx, actor.orgId, { actor: `a:${actor.agentId}`, action: 'agent.mfa_reset', subject: agentId });
  });
  ctx.bus.emit('agent.disabled', { orgId: actor.orgId, agentId });
  return presentAgent((await agentRepo.byId(ctx.database.db, agentId))!);
}
