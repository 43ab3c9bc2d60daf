/**
 * One PostgreSQL for the whole test run (each test file makes its own database on it). Set
 * KEFU_TEST_PG=off to run the SQLite half only on a machine without PostgreSQL.
 */
import type { TestProject } from 'vitest/node';
import { startPostgres, type PgServer } from './helpers/postgres.ts';

let server: PgServer | null = null;

export async function setup(project: TestProject) {
  if (process.env.KEFU_TEST_PG === 'off') {
    project.provide('pgUrl', '');
    return;
  }
  server = await startPostgres();
  project.provide('pgUrl', server.url());
}

export async function teardown() {
  await server?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext { pgUrl: string }
}
