import type { Tx } from '../../infra/db/index.ts';
import type { ContactsTable, OrdersTable } from '../../infra/db/schema.ts';

export const contactRepo = {
  byId(tx: Tx, orgId: string, id: string) {
    return tx.selectFrom('contacts').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  },
  byPlatformId(tx: Tx, orgId: string, platformId: string) {
    return tx.selectFrom('contacts').selectAll().where('org_id', '=', orgId).where('platform_id', '=', platformId).executeTakeFirst();
  },
  byPhoneIndex(tx: Tx, orgId: string, bidx: string) {
    return tx.selectFrom('contacts').selectAll().where('org_id', '=', orgId).where('phone_bidx', '=', bidx).orderBy('updated_at', 'desc').executeTakeFirst();
  },
  byIds(tx: Tx, orgId: string, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([] as ContactsTable[]);
    return tx.selectFrom('contacts').selectAll().where('org_id', '=', orgId).where('id', 'in', ids).execute();
  },
  insert(tx: Tx, row: ContactsTable) {
    return tx.insertInto('contacts').values(row).execute();
  },
  update(tx: Tx, id: string, patch: Partial<ContactsTable>) {
    return tx.updateTable('contacts').set(patch).where('id', '=', id).execute();
  },
};

export const orderRepo = {
  byNo(tx: Tx, orgId: string, orderNo: string) {
    return tx.selectFrom('orders').selectAll().where('org_id', '=', orgId).where('order_no', '=', orderNo).executeTakeFirst();
  },
  forContact(tx: Tx, contactId: string, limit = 50) {
    return tx.selectFrom('orders').selectAll().where('contact_id', '=', contactId).orderBy('created_at', 'desc').limit(limit).execute();
  },
  insert(tx: Tx, row: OrdersTable) {
    return tx.insertInto('orders').values(row).execute();
  },
  update(tx: Tx, id: string, patch: Partial<OrdersTable>) {
    return tx.updateTable('orders').set(patch).where('id', '=', id).execute();
  },
};
