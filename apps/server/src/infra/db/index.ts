/**
 * The database: Kysely over better-sqlite3 (embedded, default) or pg (cluster). `write()` runs a
 * unit of work in a transaction and resolves only after the commit is durable.
 *
 * SQLite group commit: units queued in the same tick share one transaction (each in its own
 * savepoint, so one failing unit does not undo the others) and therefore one WAL fsync
 * (`synchronous=FULL`). PostgreSQL already groups concurrent commits into one WAL flush, so
 * there each unit is its own short transaction on the pool.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type pgTypes from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Migration, type Transaction } from 'kysely';
import type { DB } from './schema.ts';
import * as m001 from './migrations/001_core.ts';
import * as m002 from './migrations/002_one_open_conversation.ts';
import * as m003 from './migrations/003_attachments.ts';
import * as m004 from './migrations/004_tiers_templates_audit.ts';
import * as m005 from './migrations/005_moderation.ts';

export type Dialect = 'sqlite' | 'postgres';
export type Tx = Transaction<DB> | Kysely<DB>;

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  /** Run `fn` in a transaction; resolves after a durable commit. */
  write<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T>;
  migrate(): Promise<string[]>;
  /** Statistics of group commit: transactions committed and units they carried. */
  readonly stats: { commits: number; units: number };
  close(): Promise<void>;
}

const migrations: Record<string, Migration> = { '001_core': m001, '002_one_open_conversation': m002, '003_attachments': m003, '004_tiers_templates_audit': m004, '005_moderation': m005 };

export interface DatabaseOptions {
  dataDir: string;
  databaseUrl: string | null;
  pgPoolSize?: number;
  /** Upper bound of units in one SQLite group commit. */
  maxBatch?: number;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (!opts.databaseUrl) return openSqlite(opts.dataDir, opts.maxBatch ?? 512);
  // The PostgreSQL driver is loaded only in cluster mode.
  const pg = (await import('pg')).default;
  return openPostgres(pg, opts.databaseUrl, opts.pgPoolSize ?? 20);
}

function withMigrator(db: Kysely<DB>) {
  return async (): Promise<string[]> => {
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error;
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  };
}

function openSqlite(dataDir: string, maxBatch: number): Database {
  mkdirSync(dataDir, { recursive: true });
  const raw = new SQLite(join(dataDir, 'kefu.sqlite'));
  raw.pragma('journal_mode = WAL');
  // FULL: the WAL is fsynced at every commit, so an acknowledged send survives power loss.
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  // Kysely prepares every statement it runs; better-sqlite3 statements are reusable, so keep
  // them by SQL text (the set of distinct statements is small and fixed by the code).
  const prepared = new Map<string, SQLite.Statement>();
  const database = {
    close: () => raw.close(),
    prepare: (sqlText: string) => {
      let stmt = prepared.get(sqlText);
      if (!stmt) {
        if (prepared.size >= 2000) prepared.clear();
        stmt = raw.prepare(sqlText);
        prepared.set(sqlText, stmt);
      }
      return stmt;
    },
  };
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database }) });
  const stats = { commits: 0, units: 0 };

  interface Unit { fn: (trx: Transaction<DB>) => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void }
  let queue: Unit[] = [];
  let flushing = false;
  let scheduled = false;

  const flush = async (): Promise<void> => {
    scheduled = false;
    if (flushing || queue.length === 0) return;
    flushing = true;
    const batch = queue.splice(0, maxBatch);
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      await db.transaction().execute(async (trx) => {
        for (const unit of batch) {
          await sql`savepoint unit`.execute(trx);
          try {
            const value = await unit.fn(trx);
            await sql`release savepoint unit`.execute(trx);
            outcomes.push({ ok: true, value });
          } catch (error) {
            await sql`rollback to savepoint unit`.execute(trx);
            await sql`release savepoint unit`.execute(trx);
            outcomes.push({ ok: false, error });
          }
        }
      });
      stats.commits++;
      stats.units += outcomes.filter((o) => o.ok).length;
      batch.forEach((u, i) => {
        const o = outcomes[i]!;
        if (o.ok) u.resolve(o.value);
        else u.reject(o.error);
      });
    } catch (error) {
      // The commit itself failed: nothing of this batch is durable.
      for (const u of batch) u.reject(error);
    } finally {
      flushing = false;
      if (queue.length) schedule();
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => void flush());
  };

  return {
    db,
    dialect: 'sqlite',
    stats,
    write<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
        schedule();
      });
    },
    migrate: withMigrator(db),
    async close() {
      while (queue.length || flushing) await new Promise((r) => setTimeout(r, 5));
      await db.destroy();
    },
  };
}

function openPostgres(pg: typeof pgTypes, url: string, poolSize: number): Database {
  const int8 = 20;
  const numeric = 1700;
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === int8 || oid === numeric ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const stats = { commits: 0, units: 0 };
  return {
    db,
    dialect: 'postgres',
    stats,
    async write<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
      const value = await db.transaction().execute(fn);
      stats.commits++;
      stats.units++;
      return value;
    },
    migrate: withMigrator(db),
    async close() {
      await db.destroy();
    },
  };
}

/** True when `e` is a unique-constraint violation on either database. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === '23505' || err?.code === 'SQLITE_CONSTRAINT_UNIQUE' || err?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Run a unit of work; if it lost a race on a unique index (a concurrent first insert on
 * PostgreSQL), run it once more: the second attempt sees the winner's row.
 */
export async function retryOnUnique<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    return fn();
  }
}
