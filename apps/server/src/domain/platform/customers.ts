/** Platform users on the customer page: a platform-signed HS256 token names them. */
import { KefuError } from '@kefu/shared';
import { retryOnUnique } from '../../infra/db/index.ts';
import { peekClaims, signHs256, verifyHs256 } from '../../lib/jwt.ts';
import type { ContactActor } from '../actors.ts';
import type { Ctx } from '../context.ts';
import { contactRepo } from '../contacts/repository.ts';
import { upsertContactTx } from '../contacts/service.ts';
import { orgSecrets } from '../orgs/service.ts';

export async function resolveCustomerToken(ctx: Ctx, token: string | undefined): Promise<ContactActor> {
  if (!token) throw new KefuError('INVALID_TOKEN');
  const peek = peekClaims(token);
  if (!peek || typeof peek.org !== 'string') throw new KefuError('INVALID_TOKEN');
  const secrets = await orgSecrets(ctx, peek.org);
  const claims = secrets && verifyHs256(token, secrets.platformSecret, Math.floor(ctx.clock.now() / 1000));
  if (!claims) throw new KefuError('INVALID_TOKEN');
  // The platform vouches for the user: unknown users are created; a changed nickname is updated.
  let contact = await contactRepo.byPlatformId(ctx.database.db, claims.org, claims.sub);
  const nickname = claims.nickname?.slice(0, 64) || contact?.nickname || claims.sub;
  if (!contact || contact.nickname !== nickname) {
    const { row } = await retryOnUnique(() =>
      ctx.database.write((trx) =>
        upsertContactTx(ctx, trx, claims.org, { platformId: claims.sub, nickname, ...(claims.avatar ? { avatarUrl: claims.avatar } : {}) }),
      ),
    );
    contact = row;
  }
  return { kind: 'contact', contactId: contact.id, orgId: claims.org, platformId: contact.platform_id, nickname: contact.nickname };
}

/** What the platform does: sign a token for one of its users (used by the demo and tests). */
export async function issueCustomerToken(ctx: Ctx, orgId: string, platformId: string, nickname: string, ttlSeconds = 7 * 24 * 3600) {
  const secrets = await orgSecrets(ctx, orgId);
  if (!secrets) throw new KefuError('NOT_FOUND', 'No such organisation.');
  return signHs256({ org: orgId, sub: platformId, nickname, exp: Math.floor(ctx.clock.now() / 1000) + ttlSeconds }, secrets.platformSecret);
}
