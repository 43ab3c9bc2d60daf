/**
 * Auto-replies: on each message from a platform user, the organisation's rules are checked —
 * first message outside working hours, keyword triggers, nobody online — and a reply is sent
 * through the ordinary send path as a system message (no agent's quota). The client message id
 * is derived from the rule and the triggering message, so a re-run never replies twice.
 */
import type { Message } from '@kefu/shared';
import type { Ctx } from '../context.ts';
import { workingHours, type WorkingHours } from '../tiers/policy.ts';
import { orgTimeZone } from '../tiers/quota.ts';
import { sendSystemMessage } from '../conversations/service.ts';

export function withinWorkingHours(t: number, timeZone: string, wh: WorkingHours): boolean {
  const f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday!);
  const hm = `${p.hour}:${p.minute}`;
  return wh.days.includes(day) && hm >= wh.start && hm < wh.end;
}

export function startAutoReplies(ctx: Ctx, isAnyAgentOnline: (orgId: string) => boolean) {
  return ctx.bus.on('message.created', (e) => {
    if (e.message.senderType !== 'contact') return;
    void runRules(ctx, e.orgId, e.conversation.id, e.message, isAnyAgentOnline).catch((err) => ctx.log.error({ err }, 'auto-reply failed'));
  });
}

async function runRules(ctx: Ctx, orgId: string, conversationId: string, message: Message, isAnyAgentOnline: (orgId: string) => boolean) {
  const rules = await ctx.database.db.selectFrom('auto_reply_rules').selectAll().where('org_id', '=', orgId).where('enabled', '=', 1).orderBy('created_at').execute();
  if (rules.length === 0) return;
  const wh = await workingHours(ctx, orgId);
  const tz = await orgTimeZone(ctx, orgId);
  const now = ctx.clock.now();
  // The first user message of a conversation (seq 1), or the first after an auto-reply's silence.
  const first = message.seq === 1;
  const text = message.text.toLowerCase();
  for (const r of rules) {
    const keywords = JSON.parse(r.keywords_json) as string[];
    const fire =
      (r.trigger === 'keyword' && keywords.some((k) => k.trim() && text.includes(k.trim().toLowerCase()))) ||
      (r.trigger === 'outside_hours' && first && !withinWorkingHours(now, tz, wh)) ||
      (r.trigger === 'no_agent_online' && first && !isAnyAgentOnline(orgId));
    if (!fire) continue;
    await sendSystemMessage(ctx, orgId, conversationId, `auto:${r.id}`, { clientMessageId: `auto-${message.id}`.slice(0, 64), text: r.body });
    return; // one auto-reply per user message
  }
}
