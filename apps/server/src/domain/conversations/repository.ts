import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../infra/db/index.ts';
import type { ConversationsTable, MessagesTable } from '../../infra/db/schema.ts';

export interface ListFilter {
  orgId: string;
  /** When set, only conversations assigned to this agent or unassigned. */
  visibleTo?: string;
  status?: string;
  businessType?: string;
  assignee?: string | null;
  before?: number;
  limit: number;
}

export const conversationRepo = {
  byId(tx: Tx, orgId: string, id: string) {
    return tx.selectFrom('conversations').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  },
  latestForContact(tx: Tx, contactId: string) {
    return tx.selectFrom('conversations').selectAll().where('contact_id', '=', contactId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  },
  openForContact(tx: Tx, contactId: string) {
    return tx
      .selectFrom('conversations')
      .selectAll()
      .where('contact_id', '=', contactId)
      .where('status', '!=', 'resolved')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  },
  insert(tx: Tx, row: ConversationsTable) {
    return tx.insertInto('conversations').values(row).execute();
  },
  update(tx: Tx, id: string, patch: Partial<ConversationsTable>) {
    return tx.updateTable('conversations').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  list(tx: Tx, f: ListFilter) {
    let q = tx.selectFrom('conversations').selectAll().where('org_id', '=', f.orgId);
    if (f.visibleTo) q = q.where((eb) => eb.or([eb('assignee_id', '=', f.visibleTo!), eb('assignee_id', 'is', null)]));
    if (f.status) q = q.where('status', '=', f.status);
    if (f.businessType) q = q.where('business_type', '=', f.businessType);
    if (f.assignee !== undefined) q = f.assignee === null ? q.where('assignee_id', 'is', null) : q.where('assignee_id', '=', f.assignee);
    if (f.before !== undefined) q = q.where('updated_at', '<', f.before);
    return q.orderBy('updated_at', 'desc').limit(f.limit).execute();
  },
  /**
   * Take the next sequence number. The UPDATE locks the conversation row until commit (on
   * PostgreSQL; SQLite has a single writer), so sequence numbers are gap-free and in commit order.
   */
  nextSeq(tx: Tx, id: string, patch: { [K in keyof ConversationsTable]?: ConversationsTable[K] | RawBuilder<ConversationsTable[K]> }, inbound: boolean) {
    return tx
      .updateTable('conversations')
      .set({
        ...patch,
        last_seq: sql<number>`last_seq + 1`,
        unread_count: inbound ? sql<number>`unread_count + 1` : sql<number>`unread_count`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  },
};

export const messageRepo = {
  byClientId(tx: Tx, orgId: string, senderKey: string, clientMessageId: string) {
    return tx
      .selectFrom('messages')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('sender_key', '=', senderKey)
      .where('client_message_id', '=', clientMessageId)
      .executeTakeFirst();
  },
  insert(tx: Tx, row: MessagesTable) {
    return tx.insertInto('messages').values(row).execute();
  },
  /** A page of history in seq order, with agent names joined. */
  async page(tx: Tx, conversationId: string, opts: { afterSeq?: number; beforeSeq?: number; limit: number }) {
    let q = tx
      .selectFrom('messages')
      .leftJoin('agents', 'agents.id', 'messages.sender_id')
      .selectAll('messages')
      .select('agents.name as agent_name')
      .where('messages.conversation_id', '=', conversationId);
    if (opts.afterSeq !== undefined) q = q.where('messages.seq', '>', opts.afterSeq);
    if (opts.beforeSeq !== undefined) q = q.where('messages.seq', '<', opts.beforeSeq);
    // Forward paging when afterSeq is given; otherwise the newest page, returned in seq order.
    const forward = opts.afterSeq !== undefined && opts.beforeSeq === undefined;
    const rows = await q.orderBy('messages.seq', forward ? 'asc' : 'desc').limit(opts.limit + 1).execute();
    const hasMore = rows.length > opts.limit;
    const page = rows.slice(0, opts.limit);
    if (!forward) page.reverse();
    return { rows: page, hasMore };
  },
  countInboundAfter(tx: Tx, conversationId: string, seq: number) {
    return tx
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('conversation_id', '=', conversationId)
      .where('direction', '=', 'inbound')
      .where('seq', '>', seq)
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  },
  /** Stamp receipts on (fromSeq, uptoSeq]: bounded by the previous watermark, never a full scan. */
  markRange(tx: Tx, conversationId: string, direction: 'inbound' | 'outbound', column: 'delivered_at' | 'read_at', fromSeq: number, uptoSeq: number, at: number) {
    return tx
      .updateTable('messages')
      .set({ [column]: at })
      .where('conversation_id', '=', conversationId)
      .where('direction', '=', direction)
      .where('seq', '>', fromSeq)
      .where('seq', '<=', uptoSeq)
      .where(column, 'is', null)
      .execute();
  },
};
