/**
 * Face step-up (DESIGN 1.3 level 2): agents register a platform authenticator with user
 * verification (Face ID, Windows Hello, Android biometrics) and, to send a level-2 message, verify
 * again. A verification is bound to that one message (conversation, client id and text), expires
 * after a few minutes and is consumed by the send, so it can be neither replayed nor reused.
 */
import { createHash } from 'node:crypto';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';

// The WebAuthn library (x509, ASN.1, COSE) is a fifth of the boot; load it on first use.
const webauthn = () => import('@simplewebauthn/server');
import { KefuError } from '@kefu/shared';
import type { Tx } from '../../infra/db/index.ts';
import { newId } from '../../lib/ids.ts';
import type { AgentActor } from '../actors.ts';
import type { Ctx } from '../context.ts';
import { appendAuditTx } from '../audit/service.ts';

export const STEP_UP_TTL_MS = 5 * 60_000;

/** Where the browser is: WebAuthn binds credentials to the site's host name and origin. */
export interface RelyingParty { rpID: string; origin: string }

export function purposeOf(conversationId: string, clientMessageId: string, text: string): string {
  return createHash('sha256').update(JSON.stringify([conversationId, clientMessageId, text])).digest('base64url');
}

export async function hasCredential(ctx: Ctx, agentId: string) {
  const row = await ctx.database.db.selectFrom('webauthn_credentials').select('id').where('agent_id', '=', agentId).executeTakeFirst();
  return !!row;
}

export async function registrationOptions(ctx: Ctx, actor: AgentActor, rp: RelyingParty) {
  const agent = await ctx.database.db.selectFrom('agents').select(['email', 'name']).where('id', '=', actor.agentId).executeTakeFirstOrThrow();
  const existing = await ctx.database.db.selectFrom('webauthn_credentials').select(['id', 'transports_json']).where('agent_id', '=', actor.agentId).execute();
  const options = await (await webauthn()).generateRegistrationOptions({
    rpName: 'Kefu 客服',
    rpID: rp.rpID,
    userName: agent.email,
    userDisplayName: agent.name,
    userID: new TextEncoder().encode(actor.agentId),
    attestationType: 'none',
    authenticatorSelection: { authenticatorAttachment: 'platform', userVerification: 'required', residentKey: 'preferred' },
    excludeCredentials: existing.map((c) => ({ id: c.id, transports: JSON.parse(c.transports_json) as string[] })),
  });
  const now = ctx.clock.now();
  await ctx.database.write((trx) =>
    trx.insertInto('stepup_challenges').values({ id: newId(now), agent_id: actor.agentId, kind: 'register', challenge: options.challenge, purpose: 'register', expires_at: now + STEP_UP_TTL_MS, verified_at: null, used_at: null }).execute(),
  );
  return options;
}

export async function verifyRegistration(ctx: Ctx, actor: AgentActor, rp: RelyingParty, response: RegistrationResponseJSON) {
  const now = ctx.clock.now();
  const challenges = await ctx.database.db.selectFrom('stepup_challenges').selectAll().where('agent_id', '=', actor.agentId).where('kind', '=', 'register').where('used_at', 'is', null).where('expires_at', '>', now).execute();
  const verification = await (await webauthn()).verifyRegistrationResponse({
    response,
    expectedChallenge: (c) => challenges.some((x) => x.challenge === c),
    expectedOrigin: rp.origin,
    expectedRPID: rp.rpID,
    requireUserVerification: true,
  }).catch((e: Error) => {
    throw new KefuError('STEP_UP_FAILED', e.message);
  });
  if (!verification.verified) throw new KefuError('STEP_UP_FAILED');
  const { credential } = verification.registrationInfo;
  await ctx.database.write(async (trx) => {
    await trx.updateTable('stepup_challenges').set({ used_at: now }).where('agent_id', '=', actor.agentId).where('kind', '=', 'register').where('used_at', 'is', null).execute();
    await trx.insertInto('webauthn_credentials').values({
      id: credential.id, agent_id: actor.agentId, public_key: Buffer.from(credential.publicKey).toString('base64url'), counter: credential.counter,
      transports_json: JSON.stringify(credential.transports ?? []), created_at: now,
    }).execute();
    await appendAuditTx(ctx, trx, actor.orgId, { actor: `a:${actor.agentId}`, action: 'webauthn.registered', subject: credential.id });
  });
  return { credentialId: credential.id };
}

/** A challenge for one message; returned inside the STEP_UP_REQUIRED error. */
export async function stepUpChallenge(ctx: Ctx, actor: AgentActor, rp: RelyingParty, purpose: string) {
  const creds = await ctx.database.db.selectFrom('webauthn_credentials').select(['id', 'transports_json']).where('agent_id', '=', actor.agentId).execute();
  if (creds.length === 0) return { stepUpId: null, options: null, registered: false };
  const options = await (await webauthn()).generateAuthenticationOptions({
    rpID: rp.rpID,
    userVerification: 'required',
    allowCredentials: creds.map((c) => ({ id: c.id, transports: JSON.parse(c.transports_json) as never[] })),
  });
  const now = ctx.clock.now();
  const id = newId(now);
  await ctx.database.write((trx) =>
    trx.insertInto('stepup_challenges').values({ id, agent_id: actor.agentId, kind: 'stepup', challenge: options.challenge, purpose, expires_at: now + STEP_UP_TTL_MS, verified_at: null, used_at: null }).execute(),
  );
  return { stepUpId: id, options, registered: true };
}

/** Check the authenticator's answer; the step-up is then good for its one message until it expires. */
export async function verifyStepUp(ctx: Ctx, actor: AgentActor, rp: RelyingParty, stepUpId: string, response: AuthenticationResponseJSON) {
  const now = ctx.clock.now();
  const ch = await ctx.database.db.selectFrom('stepup_challenges').selectAll().where('id', '=', stepUpId).where('agent_id', '=', actor.agentId).where('kind', '=', 'stepup').executeTakeFirst();
  if (!ch || ch.used_at || ch.verified_at || ch.expires_at <= now) throw new KefuError('STEP_UP_FAILED', 'The verification request is unknown, used or expired; send again for a new one.');
  const cred = await ctx.database.db.selectFrom('webauthn_credentials').selectAll().where('id', '=', response.id).where('agent_id', '=', actor.agentId).executeTakeFirst();
  if (!cred) throw new KefuError('STEP_UP_FAILED', 'Unknown authenticator.');
  const v = await (await webauthn()).verifyAuthenticationResponse({
    response,
    expectedChallenge: ch.challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.rpID,
    credential: { id: cred.id, publicKey: new Uint8Array(Buffer.from(cred.public_key, 'base64url')), counter: Number(cred.counter), transports: JSON.parse(cred.transports_json) as string[] },
    requireUserVerification: true,
  }).catch((e: Error) => {
    throw new KefuError('STEP_UP_FAILED', e.message);
  });
  if (!v.verified) throw new KefuError('STEP_UP_FAILED');
  const ok = await ctx.database.write(async (trx) => {
    const r = await trx.updateTable('stepup_challenges').set({ verified_at: now }).where('id', '=', stepUpId).where('verified_at', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    await trx.updateTable('webauthn_credentials').set({ counter: v.authenticationInfo.newCounter }).where('id', '=', cred.id).execute();
    await appendAuditTx(ctx, trx, actor.orgId, { actor: `a:${actor.agentId}`, action: 'stepup.verified', subject: stepUpId });
    return true;
  });
  if (!ok) throw new KefuError('STEP_UP_FAILED', 'Already verified.');
  return { stepUpId, expiresAt: new Date(ch.expires_at).toISOString() };
}

/** Inside the send transaction: consume a verified, unexpired step-up bound to this message. */
export async function consumeStepUpTx(ctx: Ctx, trx: Tx, agentId: string, stepUpId: string, purpose: string): Promise<boolean> {
  const now = ctx.clock.now();
  const r = await trx
    .updateTable('stepup_challenges')
    .set({ used_at: now })
    .where('id', '=', stepUpId)
    .where('agent_id', '=', agentId)
    .where('kind', '=', 'stepup')
    .where('purpose', '=', purpose)
    .where('verified_at', 'is not', null)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
