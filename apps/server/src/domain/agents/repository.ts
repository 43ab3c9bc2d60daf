import type { Tx } from '../../infra/db/index.ts';
import type { AgentsTable, SessionsTable } from '../../infra/db/schema.ts';

export const agentRepo = {
  insert(tx: Tx, row: AgentsTable) {
    return tx.insertInto('agents').values(row).execute();
  },
  byId(tx: Tx, id: string) {
    return tx.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
  },
  byEmail(tx: Tx, email: string) {
    return tx.selectFrom('agents').selectAll().where('email', '=', email).executeTakeFirst();
  },
  listByOrg(tx: Tx, orgId: string) {
    return tx.selectFrom('agents').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute();
  },
  count(tx: Tx) {
    return tx.selectFrom('agents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n));
  },
  update(tx: Tx, id: string, patch: Partial<AgentsTable>) {
    return tx.updateTable('agents').set(patch).where('id', '=', id).execute();
  },
  /** Compare-and-set of the last TOTP step: at most one request can consume a given code. */
  async consumeTotpStep(tx: Tx, id: string, step: number): Promise<boolean> {
    const r = await tx.updateTable('agents').set({ totp_last_step: step }).where('id', '=', id).where('totp_last_step', '<', step).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
};

export const sessionRepo = {
  insert(tx: Tx, row: SessionsTable) {
    return tx.insertInto('sessions').values(row).execute();
  },
  /** The session with its agent, in one query: this runs on every authenticated request. */
  withAgent(tx: Tx, id: string) {
    return tx
      .selectFrom('sessions')
      .innerJoin('agents', 'agents.id', 'sessions.agent_id')
      .select([
        'sessions.id as session_id', 'sessions.mfa_passed', 'sessions.expires_at', 'sessions.last_seen_at',
        'agents.id as agent_id', 'agents.org_id', 'agents.tier', 'agents.name', 'agents.disabled', 'agents.send_restricted',
      ])
      .where('sessions.id', '=', id)
      .executeTakeFirst();
  },
  update(tx: Tx, id: string, patch: Partial<SessionsTable>) {
    return tx.updateTable('sessions').set(patch).where('id', '=', id).execute();
  },
  delete(tx: Tx, id: string) {
    return tx.deleteFrom('sessions').where('id', '=', id).execute();
  },
  deleteForAgent(tx: Tx, agentId: string) {
    return tx.deleteFrom('sessions').where('agent_id', '=', agentId).execute();
  },
};
