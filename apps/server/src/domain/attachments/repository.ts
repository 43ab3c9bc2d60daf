import type { Tx } from '../../infra/db/index.ts';
import type { AttachmentsTable } from '../../infra/db/schema.ts';

export const attachmentRepo = {
  insert(tx: Tx, row: AttachmentsTable) {
    return tx.insertInto('attachments').values(row).execute();
  },
  byId(tx: Tx, orgId: string, id: string) {
    return tx.selectFrom('attachments').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  },
  byIds(tx: Tx, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([] as AttachmentsTable[]);
    return tx.selectFrom('attachments').selectAll().where('id', 'in', ids).execute();
  },
  /** Attachments of many messages; the list is chunked to stay under parameter limits. */
  async forMessages(tx: Tx, messageIds: string[]) {
    const out: AttachmentsTable[] = [];
    for (let i = 0; i < messageIds.length; i += 500) {
      const chunk = messageIds.slice(i, i + 500);
      out.push(...(await tx.selectFrom('attachments').selectAll().where('message_id', 'in', chunk).orderBy('created_at').execute()));
    }
    return out;
  },
  /** How many of `ids` it linked: fewer means another send took one first (or it was swept). */
  async linkToMessage(tx: Tx, ids: string[], messageId: string): Promise<number> {
    const [r] = await tx.updateTable('attachments').set({ message_id: messageId }).where('id', 'in', ids).where('message_id', 'is', null).execute();
    return Number(r?.numUpdatedRows ?? 0);
  },
  /** Uploads never sent, oldest first. */
  unsentBefore(tx: Tx, before: number, limit: number) {
    return tx.selectFrom('attachments').selectAll().where('message_id', 'is', null).where('created_at', '<', before).orderBy('created_at').limit(limit).execute();
  },
  /** Delete those still unsent (a send may have claimed one meanwhile); returns what it deleted. */
  deleteUnsent(tx: Tx, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([] as Pick<AttachmentsTable, 'id' | 'storage_key' | 'thumb_key'>[]);
    return tx.deleteFrom('attachments').where('id', 'in', ids).where('message_id', 'is', null).returning(['id', 'storage_key', 'thumb_key']).execute();
  },
};
