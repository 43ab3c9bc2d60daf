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
  linkToMessage(tx: Tx, ids: string[], messageId: string) {
    return tx.updateTable('attachments').set({ message_id: messageId }).where('id', 'in', ids).where('message_id', 'is', null).execute();
  },
};
