/**
 * Where attachment bytes live, behind one small interface: the local disk in embedded mode; an
 * S3-compatible store implements the same four methods for cluster mode.
 */
import { createReadStream, createWriteStream, mkdirSync, readdirSync, rmSync, statSync, type ReadStream } from 'node:fs';
import { open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomToken } from '../../lib/ids.ts';

export interface BlobStat { size: number }

export interface BlobStorage {
  /** Store the bytes under `key`, replacing nothing half-written: the key appears complete or not at all. */
  put(key: string, source: Buffer | Readable | { file: string }): Promise<BlobStat>;
  /** The bytes, or the inclusive byte range `[start, end]`; null when the key does not exist. */
  get(key: string, range?: { start: number; end: number }): Promise<Readable | null>;
  stat(key: string): Promise<BlobStat | null>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
}

/** Keys are ours (`ab/<id>`, `ab/<id>.thumb`); anything else is a bug, never a path to follow. */
const KEY = /^[a-z0-9]{2}\/[a-z0-9-]{1,64}(\.[a-z]{1,8})?$/;

const isFileRef = (s: Readable | { file: string }): s is { file: string } => typeof (s as { file?: unknown }).file === 'string';

export class LocalDiskStorage implements BlobStorage {
  private readonly tmpDir: string;

  constructor(readonly root: string) {
    this.tmpDir = join(root, '.tmp');
    mkdirSync(this.tmpDir, { recursive: true });
    // Half-written files of a crashed process: never referenced by a key, safe to drop at start.
    for (const f of readdirSync(this.tmpDir)) rmSync(join(this.tmpDir, f), { force: true });
  }

  private path(key: string): string {
    if (!KEY.test(key)) throw new Error(`invalid storage key: ${key}`);
    return join(this.root, ...key.split('/'));
  }

  async put(key: string, source: Buffer | Readable | { file: string }): Promise<BlobStat> {
    const dest = this.path(key);
    const tmp = join(this.tmpDir, `${randomToken(12)}.part`);
    try {
      if (Buffer.isBuffer(source)) await writeFile(tmp, source, { flag: 'wx', mode: 0o600 });
      else {
        const input = isFileRef(source) ? createReadStream(source.file) : source;
        await pipeline(input, createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
      }
      // Durable before the row that points at it commits.
      const fh = await open(tmp, 'r+');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    try {
      mkdirSync(dest.slice(0, dest.lastIndexOf(sep)), { recursive: true });
      await rename(tmp, dest);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return { size: statSync(dest).size };
  }

  async get(key: string, range?: { start: number; end: number }): Promise<Readable | null> {
    const p = this.path(key);
    const s = await stat(p).catch(() => null);
    if (!s) return null;
    return new Promise<ReadStream | null>((resolve, reject) => {
      const rs = createReadStream(p, range ? { start: range.start, end: range.end } : {});
      rs.once('open', () => resolve(rs));
      rs.once('error', (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? resolve(null) : reject(err)));
    });
  }

  async stat(key: string): Promise<BlobStat | null> {
    const s = await stat(this.path(key)).catch(() => null);
    return s ? { size: s.size } : null;
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  /** Every stored key; for tests and maintenance (a missing-row sweep), not for requests. */
  list(): string[] {
    const out: string[] = [];
    for (const d of readdirSync(this.root, { withFileTypes: true })) {
      if (!d.isDirectory() || d.name === '.tmp') continue;
      for (const f of readdirSync(join(this.root, d.name))) out.push(`${d.name}/${f}`);
    }
    return out;
  }

  /** Files being written right now (or left by a failure): tests assert it is empty. */
  pending(): string[] {
    return readdirSync(this.tmpDir);
  }
}
