/**
 * The realtime gateway: authenticates sockets at connect, joins them to every room their owner
 * may see before the connection completes, and fans domain events out to rooms. Push is
 * at-least-once; clients de-duplicate by id and order by seq, and ask for gaps with `sync`.
 */
import type { Server as HttpServer } from 'node:http';
import { parseCookie } from 'cookie';
import { Server, type Socket } from 'socket.io';
import { KefuError, rooms, type ClientToServerEvents, type Conversation, type ErrorBody, type ServerToClientEvents } from '@kefu/shared';
import type { Actor } from '../domain/actors.ts';
import type { Ctx } from '../domain/context.ts';
import { resolveSession, resolveSessionId } from '../domain/agents/service.ts';
import { resolveCustomerToken } from '../domain/platform/customers.ts';
import { getConversation, markReceipt, sendAgentMessage, sendContactMessage, syncSince } from '../domain/conversations/service.ts';
import { SESSION_COOKIE } from '../http/auth.ts';
import { DraftChecker } from '../domain/moderation/draft.ts';

interface SocketData { actor: Actor }
type KefuSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type KefuIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const adminsRoom = (orgId: string) => `admins:${orgId}`;

/** Agent-side rooms that should see events of a conversation. */
function agentRooms(c: Pick<Conversation, 'assigneeId'>, orgId: string, previousAssigneeId?: string | null): string[] {
  const out = [adminsRoom(orgId)];
  if (c.assigneeId) out.push(rooms.agent(c.assigneeId));
  else out.push(rooms.org(orgId));
  if (previousAssigneeId !== undefined) {
    if (previousAssigneeId) out.push(rooms.agent(previousAssigneeId));
    else out.push(rooms.org(orgId)); // it left the shared queue
  }
  return out;
}

function toErrorBody(e: unknown): ErrorBody {
  if (e instanceof KefuError) return e.toBody();
  return { error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } };
}

/** Who is online, in this process: socket counts per agent and per organisation. */
export class Presence {
  private readonly counts = new Map<string, number>();
  private readonly orgs = new Map<string, number>();
  add(agentId: string, orgId: string): boolean {
    const n = (this.counts.get(agentId) ?? 0) + 1;
    this.counts.set(agentId, n);
    if (n === 1) this.orgs.set(orgId, (this.orgs.get(orgId) ?? 0) + 1);
    return n === 1;
  }
  remove(agentId: string, orgId: string): boolean {
    const n = (this.counts.get(agentId) ?? 1) - 1;
    if (n > 0) {
      this.counts.set(agentId, n);
      return false;
    }
    this.counts.delete(agentId);
    const o = (this.orgs.get(orgId) ?? 1) - 1;
    if (o <= 0) this.orgs.delete(orgId);
    else this.orgs.set(orgId, o);
    return true;
  }
  isOnline(agentId: string): boolean {
    return this.counts.has(agentId);
  }
  anyOnline(orgId: string): boolean {
    return this.orgs.has(orgId);
  }
}

export function attachRealtime(server: HttpServer, ctx: Ctx, opts: { allowedOrigins: string[] }) {
  const presence = new Presence();
  const io: KefuIo = new Server(server, {
    path: '/socket.io',
    serveClient: false,
    // Same-origin browsers and non-browser clients (no Origin header) only.
    allowRequest: (req, cb) => {
      const origin = req.headers.origin;
      if (!origin) return cb(null, true);
      const host = req.headers.host;
      const ok = opts.allowedOrigins.includes(origin) || (host !== undefined && (origin === `http://${host}` || origin === `https://${host}`));
      cb(ok ? null : 'cross-site', ok);
    },
    connectionStateRecovery: undefined,
    pingInterval: 25_000,
    pingTimeout: 20_000,
    maxHttpBufferSize: 64 * 1024,
  });

  io.use(async (socket, next) => {
    try {
      const token = (socket.handshake.auth as { token?: unknown })?.token;
      let actor: Actor | null = null;
      if (typeof token === 'string' && token) {
        actor = await resolveCustomerToken(ctx, token);
      } else {
        const cookie = socket.handshake.headers.cookie;
        const session = cookie ? parseCookie(cookie)[SESSION_COOKIE] : undefined;
        actor = session ? await resolveSession(ctx, session) : null;
        if (!actor) throw new KefuError('UNAUTHENTICATED');
        if (!actor.mfa) throw new KefuError('MFA_REQUIRED');
      }
      socket.data.actor = actor;
      // Rooms are joined here, before the client sees `connect`: no client join step, no race.
      if (actor.kind === 'agent') {
        const r = [rooms.org(actor.orgId), rooms.agent(actor.agentId)];
        if (actor.tier === 'admin') r.push(adminsRoom(actor.orgId));
        await socket.join(r);
      } else {
        await socket.join(rooms.contact(actor.contactId));
      }
      next();
    } catch (e) {
      const body = toErrorBody(e);
      const err = new Error(body.error.code) as Error & { data?: unknown };
      err.data = body;
      next(err);
    }
  });

  io.on('connection', (socket: KefuSocket) => {
    const actor = socket.data.actor;
    if (actor.kind === 'agent' && presence.add(actor.agentId, actor.orgId)) io.to(rooms.org(actor.orgId)).emit('presence', { agentId: actor.agentId, online: true });
    socket.on('disconnect', () => {
      if (actor.kind === 'agent' && presence.remove(actor.agentId, actor.orgId)) io.to(rooms.org(actor.orgId)).emit('presence', { agentId: actor.agentId, online: false });
    });

    socket.on('sync', async (req, ack) => {
      if (typeof ack !== 'function') return;
      try {
        ack({ messages: await syncSince(ctx, actor, req?.since ?? {}) });
      } catch (e) {
        ack(toErrorBody(e));
      }
    });

    socket.on('message.send', async (req, ack) => {
      if (typeof ack !== 'function') return;
      try {
        const attachmentIds = Array.isArray((req as { attachmentIds?: unknown })?.attachmentIds) ? ((req as { attachmentIds: unknown[] }).attachmentIds.map(String).slice(0, 9)) : [];
        const input = { clientMessageId: String(req?.clientMessageId ?? ''), text: String(req?.text ?? ''), attachmentIds };
        if (!/^[A-Za-z0-9._:-]{1,64}$/.test(input.clientMessageId)) throw new KefuError('VALIDATION_FAILED', 'clientMessageId is invalid.');
        let r;
        if (actor.kind === 'agent') {
          // The socket may outlive a tier change, a restriction or the session itself.
          const fresh = await resolveSessionId(ctx, actor.sessionId);
          if (!fresh || !fresh.mfa) {
            socket.emit('session.ended', { reason: 'expired' });
            socket.disconnect(true);
            throw new KefuError('UNAUTHENTICATED');
          }
          r = await sendAgentMessage(ctx, fresh, String(req?.conversationId ?? ''), input);
        } else {
          r = await sendContactMessage(ctx, actor, input);
        }
        ack({ message: r.message });
      } catch (e) {
        ack(toErrorBody(e));
      }
    });

    const drafts = actor.kind === 'agent' ? new DraftChecker(ctx, actor) : null;
    socket.on('draft.check', async (req, ack) => {
      if (typeof ack !== 'function') return;
      try {
        if (!drafts) throw new KefuError('FORBIDDEN');
        const draftId = String(req?.draftId ?? '').slice(0, 64);
        if (!draftId) throw new KefuError('VALIDATION_FAILED', 'draftId is required.');
        const text = typeof req?.text === 'string' ? req.text.slice(0, 4000) : undefined;
        ack(await drafts.check({ draftId, ...(text !== undefined ? { text } : {}), ...(req?.edit ? { edit: req.edit } : {}) }));
      } catch (e) {
        ack(toErrorBody(e));
      }
    });

    socket.on('receipt', async (req, ack) => {
      try {
        const kind = req?.kind === 'read' ? 'read' : 'delivered';
        const upto = Math.floor(Number(req?.uptoSeq));
        if (!Number.isFinite(upto) || upto < 0) throw new KefuError('VALIDATION_FAILED');
        await markReceipt(ctx, actor, actor.kind === 'agent' ? String(req?.conversationId ?? '') : null, kind, upto);
        if (typeof ack === 'function') ack({ ok: true });
      } catch (e) {
        if (typeof ack === 'function') ack(toErrorBody(e));
      }
    });

    socket.on('typing', async (req) => {
      try {
        const typing = !!req?.typing;
        if (actor.kind === 'agent') {
          const c = await getConversation(ctx, actor, String(req?.conversationId ?? ''));
          const e = { conversationId: c.id, side: 'agent' as const, agentId: actor.agentId, typing };
          socket.to([rooms.contact(c.contactId), ...agentRooms(c, actor.orgId)]).emit('typing', e);
        } else {
          const c = await getConversation(ctx, actor, String(req?.conversationId ?? ''));
          socket.to(agentRooms(c, actor.orgId)).emit('typing', { conversationId: c.id, side: 'contact', agentId: null, typing });
        }
      } catch {
        // Typing is best effort; a bad conversation id is simply ignored.
      }
    });
  });

  ctx.bus.on('message.created', (e) => {
    io.to([rooms.contact(e.contactId), ...agentRooms(e.conversation, e.orgId)]).emit('message.created', { conversationId: e.conversation.id, message: e.message });
    io.to(agentRooms(e.conversation, e.orgId)).emit('conversation.updated', { conversation: e.conversation });
  });
  ctx.bus.on('held.updated', (e) => {
    io.to([rooms.agent(e.held.agentId), adminsRoom(e.orgId)]).emit('held.updated', { held: e.held as never });
  });
  ctx.bus.on('quota.updated', (e) => {
    io.to(rooms.agent(e.agentId)).emit('quota.updated', e.quota);
  });
  ctx.bus.on('message.receipt', (e) => {
    io.to([rooms.contact(e.conversation.contactId), ...agentRooms(e.conversation, e.orgId)]).emit('message.receipt', {
      conversationId: e.conversation.id, side: e.side, kind: e.kind, uptoSeq: e.uptoSeq, at: new Date(e.at).toISOString(),
    });
  });
  ctx.bus.on('conversation.updated', (e) => {
    io.to(agentRooms(e.conversation, e.orgId, e.previousAssigneeId)).emit('conversation.updated', { conversation: e.conversation });
  });
  const endSockets = async (agentId: string, match: (s: { data: SocketData }) => boolean, reason: string) => {
    for (const s of await io.in(rooms.agent(agentId)).fetchSockets()) {
      if (!match(s)) continue;
      s.emit('session.ended', { reason });
      s.disconnect(true);
    }
  };
  ctx.bus.on('agent.disabled', (e) => void endSockets(e.agentId, () => true, 'disabled'));
  ctx.bus.on('session.ended', (e) => void endSockets(e.agentId, (s) => s.data.actor.kind === 'agent' && s.data.actor.sessionId === e.sessionId, 'logout'));

  return { io, presence };
}
