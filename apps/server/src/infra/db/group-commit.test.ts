import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './index.ts';

describe('SQLite group commit', () => {
  let database: Database;
  let dir: string;
  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits many concurrent units in few transactions, isolating a failing unit', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-gc-'));
    database = await openDatabase({ dataDir: dir, databaseUrl: null });
    await database.migrate();
    const put = (key: string) => database.write((trx) => trx.insertInto('kefu_meta').values({ key, value: 'v' }).execute().then(() => key));
    const results = await Promise.allSettled([...Array.from({ length: 200 }, (_, i) => put(`k${i}`)), put('k7')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(200);
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    const rows = await database.db.selectFrom('kefu_meta').select('key').execute();
    expect(rows).toHaveLength(200);
    // 201 units shared far fewer commits than one each.
    expect(database.stats.units).toBe(200);
    expect(database.stats.commits).toBeLessThan(20);
  });
});
