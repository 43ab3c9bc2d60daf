import type { Tx } from '../../infra/db/index.ts';
import type { OrganisationsTable } from '../../infra/db/schema.ts';

export const orgRepo = {
  insert(tx: Tx, row: OrganisationsTable) {
    return tx.insertInto('organisations').values(row).execute();
  },
  byId(tx: Tx, id: string) {
    return tx.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
  },
  first(tx: Tx) {
    return tx.selectFrom('organisations').selectAll().orderBy('created_at').limit(1).executeTakeFirst();
  },
  count(tx: Tx) {
    return tx.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n));
  },
};
