import { sql, type Kysely } from 'kysely';

// At most one unresolved conversation per platform user: concurrent first messages (or an agent
// opening while the user writes) converge on one conversation instead of splitting the thread.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('conversations_one_open')
    .on('conversations')
    .column('contact_id')
    .unique()
    .where(sql.ref('status'), '!=', 'resolved')
    .execute();
}
