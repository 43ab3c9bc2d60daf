import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalDiskStorage } from './storage.ts';
import { contentDisposition, parseRange } from './service.ts';
import { cleanName, deliveryFor } from './kinds.ts';

async function text(r: Readable | null): Promise<string> {
  if (!r) throw new Error('missing');
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

describe('LocalDiskStorage', () => {
  let root: string;
  let store: LocalDiskStorage;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kefu-store-'));
    store = new LocalDiskStorage(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('stores buffers, streams and files, reads whole or by range, deletes', async () => {
    expect(await store.put('ab/one', Buffer.from('hello world'))).toEqual({ size: 11 });
    await store.put('ab/two', Readable.from([Buffer.from('str'), Buffer.from('eam')]));
    const f = join(root, 'src.bin');
    writeFileSync(f, 'from a file');
    await store.put('cd/three.thumb', { file: f });
    expect(await text(await store.get('ab/one'))).toBe('hello world');
    expect(await text(await store.get('ab/one', { start: 6, end: 10 }))).toBe('world');
    expect(await text(await store.get('ab/two'))).toBe('stream');
    expect(readFileSync(join(root, 'cd', 'three.thumb'), 'utf8')).toBe('from a file');
    expect(await store.stat('cd/three.thumb')).toEqual({ size: 11 });
    await store.delete('ab/one');
    await store.delete('ab/one');
    expect(await store.get('ab/one')).toBeNull();
    expect(await store.stat('ab/one')).toBeNull();
    expect(store.list().sort()).toEqual(['ab/two', 'cd/three.thumb']);
  });

  it('leaves nothing when the source fails half-way, and keeps the previous bytes of the key', async () => {
    await store.put('ab/key', Buffer.from('old'));
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(64 * 1024, 1));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(store.put('ab/key', failing)).rejects.toThrow('client went away');
    expect(await text(await store.get('ab/key'))).toBe('old');
    expect(store.pending()).toEqual([]);
    await expect(store.put('ab/new', { file: join(root, 'missing') })).rejects.toThrow();
    expect(await store.stat('ab/new')).toBeNull();
    expect(store.pending()).toEqual([]);
  });

  it('refuses keys that are not its own shape (no path traversal)', async () => {
    for (const key of ['../x', 'ab/../../etc/passwd', '/etc/passwd', 'ab/c/d', 'AB/x', 'ab/']) {
      await expect(store.put(key, Buffer.from('x')), key).rejects.toThrow('invalid storage key');
    }
  });

  it('drops half-written files of a crashed process at start', () => {
    writeFileSync(join(root, '.tmp', 'crashed.part'), 'x');
    expect(new LocalDiskStorage(root).pending()).toEqual([]);
  });
});

describe('serving helpers', () => {
  it('parses single byte ranges and ignores the rest', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    for (const h of [undefined, 'bytes=100-', 'bytes=5-1', 'bytes=0-1,5-6', 'items=0-1', 'bytes=-']) expect(parseRange(h, 100), String(h)).toBeNull();
  });

  it('writes RFC 6266 / 5987 dispositions that cannot break out of the header', () => {
    expect(contentDisposition(true, '发票 (1).jpg')).toBe(`inline; filename="__ (1).jpg"; filename*=UTF-8''%E5%8F%91%E7%A5%A8%20%281%29.jpg`);
    expect(contentDisposition(false, 'a"b\\c.txt')).toBe(`attachment; filename="a_b_c.txt"; filename*=UTF-8''a%22b%5Cc.txt`);
  });

  it('serves only media inline and never HTML or SVG', () => {
    expect(deliveryFor('image', 'image/png')).toEqual({ contentType: 'image/png', inline: true });
    expect(deliveryFor('video', 'video/mp4')).toEqual({ contentType: 'video/mp4', inline: true });
    for (const mime of ['text/html', 'image/svg+xml', 'application/xml', 'application/pdf', 'application/x-elf']) {
      expect(deliveryFor('file', mime)).toEqual({ contentType: 'application/octet-stream', inline: false });
    }
    expect(deliveryFor('image', 'image/svg+xml').inline).toBe(false);
  });

  it('cleans names and makes the extension tell the truth', () => {
    expect(cleanName('../../etc/passwd', null, 'file')).toBe('passwd');
    expect(cleanName('photo.jpg', 'png', 'image')).toBe('photo.png');
    expect(cleanName('PHOTO.JPEG', 'jpg', 'image')).toBe('PHOTO.JPEG');
    expect(cleanName('invoice\u202egnp.exe', 'exe', 'file')).toBe('invoicegnp.exe');
    expect(cleanName('', 'jpg', 'image')).toBe('image.jpg');
    expect(cleanName('C:\\Users\\me\\x.png', 'png', 'image')).toBe('x.png');
  });
});
