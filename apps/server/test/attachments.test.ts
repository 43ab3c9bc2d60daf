import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../src/domain/orgs/service.ts';
import { createAgent } from '../src/domain/agents/service.ts';
import { issueCustomerToken } from '../src/domain/platform/customers.ts';
import { loadConfig } from '../src/config.ts';
import { AttachmentService, UNSENT_TTL_MS } from '../src/domain/attachments/service.ts';
import { LocalDiskStorage } from '../src/domain/attachments/storage.ts';
import { DIALECTS, makeKefu, type Kefu } from './helpers/harness.ts';
import { elf, hasGpsPointer, jpegMarkers, lumaQuantTable, mp4, pe, photoJpeg, png, pngBomb } from './helpers/media.ts';

const MB = 1024 * 1024;
const TARGET = 2_000_000;

/** Generated once for both databases. */
const media = {} as {
  bigJpeg: Buffer;
  smallJpeg: Buffer;
  rotated: Buffer;
  png: Buffer;
  truncated: Buffer;
  bomb: Buffer;
  video: Buffer;
  bigVideo: Buffer;
};

beforeAll(async () => {
  media.bigJpeg = await photoJpeg({ width: 4000, height: 3000, noise: 40, quality: 92, gps: true });
  media.smallJpeg = await photoJpeg({ width: 800, height: 600, quality: 85, gps: true, seed: 7 });
  media.rotated = await sharp(await photoJpeg({ width: 300, height: 200, seed: 3 })).withMetadata({ orientation: 6 }).jpeg().toBuffer();
  media.png = await png(640, 480);
  media.truncated = media.smallJpeg.subarray(0, Math.floor(media.smallJpeg.length * 0.6));
  media.bomb = await pngBomb(20_000);
  media.video = mp4(300 * 1024);
  media.bigVideo = mp4(7 * MB);
}, 120_000);

function multipart(file: Buffer, filename: string, contentType = 'application/octet-stream', field = 'file') {
  const boundary = `----kefu${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, file, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

describe.each(DIALECTS)('attachments on %s', (kind) => {
  let k: Kefu;
  let dataDir: string;
  const cookies = {} as Record<'basic' | 'senior' | 'admin' | 'stranger', string>;
  const conv = {} as Record<'basic' | 'senior' | 'admin' | 'wecom', string>;
  let customer: string;
  let otherCustomer: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kefu-att-'));
    k = await makeKefu(kind, { env: { KEFU_DATA_DIR: dataDir, KEFU_UPLOAD_MAX_BYTES: String(6.5 * MB), KEFU_UPLOAD_CHANNEL_MAX_BYTES: `wecom=${MB}` } });
    for (const tier of ['basic', 'senior', 'admin'] as const) cookies[tier] = await k.login(k.agents[tier]);
    // An agent of another organisation.
    const other = await createOrganisation(k.ctx, '别家店铺');
    const stranger = await createAgent(k.ctx, { orgId: other.id, email: 'stranger@other.kefu.local', name: '别家客服', tier: 'admin', password: 'pw-stranger-0123456789' });
    cookies.stranger = await k.login({ id: stranger.id, email: 'stranger@other.kefu.local', password: 'pw-stranger-0123456789', tier: 'admin', name: stranger.name });

    const open = async (who: 'basic' | 'senior' | 'admin', platformId: string, channel?: string) => {
      const c = await k.req('POST', '/api/v1/contacts', { cookie: cookies[who], body: { platformId, nickname: platformId } });
      const o = await k.req('POST', '/api/v1/conversations', { cookie: cookies[who], body: { contactId: c.json.contact.id, ...(channel ? { channel } : {}) } });
      expect(o.status).toBe(201);
      return o.json.conversation.id as string;
    };
    conv.basic = await open('basic', 'ks-att-basic');
    conv.senior = await open('senior', 'ks-att-senior');
    conv.admin = await open('admin', 'ks-att-admin');
    conv.wecom = await open('admin', 'ks-att-wecom', 'wecom');
    customer = await k.customerToken('ks-att-basic', '小王');
    otherCustomer = await k.customerToken('ks-att-senior', '小李');
  }, 120_000);
  afterAll(async () => k?.close());

  async function upload(who: 'basic' | 'senior' | 'admin' | 'stranger' | 'customer', file: Buffer, filename: string, o: { conversationId?: string; contentType?: string; headers?: Record<string, string>; stream?: boolean } = {}) {
    const { body, contentType } = multipart(file, filename, o.contentType);
    const headers: Record<string, string> = { 'content-type': contentType, ...o.headers };
    if (who === 'customer') headers.authorization ??= `Bearer ${customer}`;
    else headers.cookie = cookies[who];
    const url = who === 'customer' ? '/api/v1/customer/attachments' : `/api/v1/conversations/${o.conversationId ?? conv[who === 'stranger' ? 'admin' : who]}/attachments`;
    // A stream has no Content-Length: the cap must hold while streaming.
    const payload = o.stream ? Readable.from([body.subarray(0, 1000), body.subarray(1000)]) : body;
    const res = await k.app.inject({ method: 'POST', url, headers, payload });
    return { status: res.statusCode, json: res.json() as any };
  }

  async function fetch(url: string, auth: { cookie?: string; token?: string } = {}, headers: Record<string, string> = {}) {
    const res = await k.app.inject({
      method: 'GET', url,
      headers: { ...headers, ...(auth.cookie ? { cookie: auth.cookie } : {}), ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}) },
    });
    return { status: res.statusCode, headers: res.headers, body: res.rawPayload, json: () => res.json() as any };
  }

  async function stored() {
    const rows = await k.ctx.database.db.selectFrom('attachments').select('id').execute();
    return { rows: rows.length, files: files(join(dataDir, 'attachments')), spool: files(join(dataDir, 'uploads')) };
  }

  /** A refusal: the stable code, and not a row, blob or temp file more than before. */
  async function expectRefused(p: Promise<{ status: number; json: any }>, status: number, code: string) {
    const before = await stored();
    const r = await p;
    expect(r.json.error?.code, JSON.stringify(r.json)).toBe(code);
    expect(r.status).toBe(status);
    const after = await stored();
    expect(after.rows).toBe(before.rows);
    expect(after.files).toEqual(before.files);
    expect(after.spool).toEqual([]);
    expect(after.files.filter((f) => f.includes(`${join('attachments', '.tmp')}`))).toEqual([]);
    return r.json.error;
  }

  it('re-encodes a 6 MB photo under 2 MB at quality 80, keeps its proportions, drops EXIF GPS, and makes a thumbnail', async () => {
    expect(media.bigJpeg.length).toBeGreaterThan(6_000_000);
    const inMeta = await sharp(media.bigJpeg).metadata();
    expect(hasGpsPointer(inMeta.exif)).toBe(true);

    const r = await upload('basic', media.bigJpeg, '海边 photo.jpg', { contentType: 'image/jpeg' });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const a = r.json.attachment;
    expect(a).toMatchObject({ kind: 'image', mime: 'image/jpeg', name: '海边 photo.jpg', url: `/api/v1/attachments/${a.id}`, thumbnailUrl: `/api/v1/attachments/${a.id}/thumbnail` });
    expect(a.size).toBeLessThan(TARGET);
    expect(a.width).toBeLessThan(4000);
    expect(Math.abs(a.width / a.height - 4000 / 3000)).toBeLessThan(0.005);

    const got = await fetch(a.url, { cookie: cookies.basic });
    expect(got.status).toBe(200);
    expect(got.body.length).toBe(a.size);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['cache-control']).toMatch(/^private/);
    expect(got.headers['content-disposition']).toBe(`inline; filename="__ photo.jpg"; filename*=UTF-8''${encodeURIComponent('海边 photo.jpg')}`);
    const outMeta = await sharp(got.body).metadata();
    expect([outMeta.format, outMeta.width, outMeta.height]).toEqual(['jpeg', a.width, a.height]);
    expect(outMeta.exif).toBeUndefined();
    expect(jpegMarkers(got.body).filter((m) => m >= 0xe1 && m <= 0xef)).toEqual([]); // no APP1 (EXIF, XMP) … APP15
    expect(jpegMarkers(media.bigJpeg)).toContain(0xe1);
    // Quality 80: the same quantisation table sharp writes at quality 80.
    const q80 = await sharp(got.body).resize(64).jpeg({ quality: 80 }).toBuffer();
    const q90 = await sharp(got.body).resize(64).jpeg({ quality: 90 }).toBuffer();
    expect(lumaQuantTable(got.body)).toEqual(lumaQuantTable(q80));
    expect(lumaQuantTable(got.body)).not.toEqual(lumaQuantTable(q90));

    const thumb = await fetch(a.thumbnailUrl, { cookie: cookies.basic });
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    const tm = await sharp(thumb.body).metadata();
    expect(tm.format).toBe('webp');
    expect(Math.max(tm.width!, tm.height!)).toBe(320);
    expect(Math.abs(tm.width! / tm.height! - 4 / 3)).toBeLessThan(0.01);
  });

  it('cleans a small photo without scaling it and turns it upright', async () => {
    const small = await upload('basic', media.smallJpeg, 'small.jpeg');
    expect(small.status).toBe(201);
    expect(small.json.attachment).toMatchObject({ width: 800, height: 600, mime: 'image/jpeg', name: 'small.jpeg' });
    const body = (await fetch(small.json.attachment.url, { cookie: cookies.basic })).body;
    expect((await sharp(body).metadata()).exif).toBeUndefined();

    expect((await sharp(media.rotated).metadata()).orientation).toBe(6);
    const up = await upload('basic', media.rotated, 'sideways.jpg');
    expect(up.json.attachment).toMatchObject({ width: 200, height: 300 });
    const m = await sharp((await fetch(up.json.attachment.url, { cookie: cookies.basic })).body).metadata();
    expect([m.width, m.height, m.orientation ?? 1]).toEqual([200, 300, 1]);
  });

  it('trusts the bytes, not the name: a PNG called .jpg is stored and served as PNG', async () => {
    const r = await upload('basic', media.png, 'picture.jpg', { contentType: 'image/jpeg' });
    expect(r.status).toBe(201);
    expect(r.json.attachment).toMatchObject({ kind: 'image', mime: 'image/png', name: 'picture.png', width: 640, height: 480 });
    const got = await fetch(r.json.attachment.url, { cookie: cookies.basic });
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.body.subarray(0, 4).toString('latin1')).toBe('\x89PNG');
  });

  it('refuses executables renamed as images for a basic agent, and stores nothing', async () => {
    const e1 = await expectRefused(upload('basic', elf(), 'cat.png', { contentType: 'image/png' }), 415, 'ATTACHMENT_TYPE_FORBIDDEN');
    expect(e1.mime).toBe('application/x-elf');
    const e2 = await expectRefused(upload('basic', pe(), 'dog.jpg', { contentType: 'image/jpeg' }), 415, 'ATTACHMENT_TYPE_FORBIDDEN');
    expect(e2.mime).toBe('application/x-msdownload');
    // Text that claims to be an image (SVG with a script) is not an image either.
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>');
    await expectRefused(upload('basic', svg, 'icon.svg', { contentType: 'image/svg+xml' }), 415, 'ATTACHMENT_TYPE_FORBIDDEN');
    await expectRefused(upload('senior', elf(), 'cat.png'), 415, 'ATTACHMENT_TYPE_FORBIDDEN');
  });

  it('gives a truncated image and a decompression bomb a clear error, storing nothing', async () => {
    const t = await expectRefused(upload('basic', media.truncated, 'cut.jpg'), 400, 'VALIDATION_FAILED');
    expect(t.reason).toBe('IMAGE_UNREADABLE');
    expect(t.message).toMatch(/truncated or corrupt/);

    expect(media.bomb.length).toBeLessThan(MB);
    const b = await expectRefused(upload('basic', media.bomb, 'bomb.png'), 413, 'ATTACHMENT_TOO_LARGE');
    expect(b).toMatchObject({ reason: 'IMAGE_DIMENSIONS', width: 20_000, height: 20_000 });
  });

  it('lets seniors send video and refuses it to basic agents', async () => {
    const e = await expectRefused(upload('basic', media.video, 'clip.mp4', { contentType: 'video/mp4' }), 415, 'ATTACHMENT_TYPE_FORBIDDEN');
    expect(e.mime).toBe('video/mp4');
    const r = await upload('senior', media.video, 'clip.mov');
    expect(r.status).toBe(201);
    expect(r.json.attachment).toMatchObject({ kind: 'video', mime: 'video/mp4', name: 'clip.mp4', size: media.video.length, thumbnailUrl: null, width: null });
    const got = await fetch(r.json.attachment.url, { cookie: cookies.senior });
    expect(got.headers['content-type']).toBe('video/mp4');
    expect(got.headers['content-disposition']).toMatch(/^inline; /);
    expect(Buffer.compare(got.body, media.video)).toBe(0);
    // Players seek with byte ranges.
    const part = await fetch(r.json.attachment.url, { cookie: cookies.senior }, { range: 'bytes=4-11' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 4-11/${media.video.length}`);
    expect(part.body.toString('latin1')).toBe('ftypisom');
    expect((await fetch(`${r.json.attachment.url}/thumbnail`, { cookie: cookies.senior })).status).toBe(404);
  });

  it('lets admins send any file, served as a download that cannot run in the page', async () => {
    const exe = await upload('admin', elf(), 'tool');
    expect(exe.status).toBe(201);
    expect(exe.json.attachment).toMatchObject({ kind: 'file', mime: 'application/x-elf', name: 'tool.elf' });
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>');
    const s = await upload('admin', svg, 'logo.svg', { contentType: 'image/svg+xml' });
    expect(s.status).toBe(201);
    expect(s.json.attachment).toMatchObject({ kind: 'file', mime: 'application/octet-stream', name: 'logo.svg' });
    for (const a of [exe.json.attachment, s.json.attachment]) {
      const got = await fetch(a.url, { cookie: cookies.admin });
      expect(got.status).toBe(200);
      expect(got.headers['content-type']).toBe('application/octet-stream');
      expect(got.headers['content-disposition']).toMatch(/^attachment; /);
      expect(got.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('refuses files over the cap while streaming, and the tighter WeCom cap', async () => {
    const e = await expectRefused(upload('senior', media.bigVideo, 'long.mp4'), 413, 'ATTACHMENT_TOO_LARGE');
    expect(e.maxBytes).toBe(6.5 * MB);
    // No Content-Length: the counter stops it.
    await expectRefused(upload('senior', media.bigVideo, 'long.mp4', { stream: true }), 413, 'ATTACHMENT_TOO_LARGE');
    await expectRefused(upload('admin', mp4(1.5 * MB), 'wecom.mp4', { conversationId: conv.wecom, stream: true }), 413, 'ATTACHMENT_TOO_LARGE');
    expect((await upload('admin', mp4(0.5 * MB), 'wecom.mp4', { conversationId: conv.wecom })).status).toBe(201);
    // An image over the upload cap is refused before it is decoded.
    await expectRefused(upload('basic', Buffer.concat([media.bigJpeg, Buffer.alloc(MB)]), 'huge.jpg', { stream: true }), 413, 'ATTACHMENT_TOO_LARGE');
  });

  it('accepts multipart on the upload routes only, and refuses cross-site uploads', async () => {
    await expectRefused(upload('basic', media.png, 'x.png', { headers: { origin: 'https://evil.example' } }), 403, 'CROSS_SITE_REQUEST');
    await expectRefused(upload('basic', media.png, 'x.png', { headers: { 'sec-fetch-site': 'cross-site' } }), 403, 'CROSS_SITE_REQUEST');
    const json = await k.req('POST', `/api/v1/conversations/${conv.basic}/attachments`, { cookie: cookies.basic, body: { file: 'x' } });
    expect(json.json.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const { body, contentType } = multipart(Buffer.from('{}'), 'x.json');
    const other = await k.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: { cookie: cookies.basic, 'content-type': contentType }, payload: body });
    expect(other.statusCode).toBe(415);
    const anon = await k.app.inject({ method: 'POST', url: `/api/v1/conversations/${conv.basic}/attachments`, headers: { 'content-type': contentType }, payload: body });
    expect(anon.statusCode).toBe(401);
    await expectRefused(upload('basic', Buffer.alloc(0), 'empty.png'), 400, 'VALIDATION_FAILED');
    const boundary = 'kefu-no-file';
    const fieldOnly = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--${boundary}--\r\n`);
    const noFile = await k.app.inject({ method: 'POST', url: `/api/v1/conversations/${conv.basic}/attachments`, headers: { cookie: cookies.basic, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: fieldOnly });
    expect([noFile.statusCode, noFile.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const spec = await k.req('GET', '/api/openapi.json');
    expect(Object.keys(spec.json.paths)).toEqual(expect.arrayContaining(['/api/v1/conversations/{id}/attachments', '/api/v1/customer/attachments', '/api/v1/attachments/{id}', '/api/v1/customer/attachments/{id}/link']));
    // Someone else's conversation does not exist for a basic agent.
    await expectRefused(upload('basic', media.png, 'x.png', { conversationId: conv.senior }), 404, 'CONVERSATION_NOT_FOUND');
    await expectRefused(upload('stranger', media.png, 'x.png', { conversationId: conv.admin }), 404, 'CONVERSATION_NOT_FOUND');
  });

  it('sends attachments with a message: in history, to the customer, and to nobody else', async () => {
    const img = (await upload('basic', media.png, '截图.png')).json.attachment;
    // Before it is sent, only its uploader sees it (not even an admin who reads everything).
    expect((await fetch(img.url, { cookie: cookies.basic })).status).toBe(200);
    expect((await fetch(img.url, { cookie: cookies.admin })).status).toBe(404);
    expect((await fetch(img.url, { token: customer })).status).toBe(404);

    const sent = await k.req('POST', `/api/v1/conversations/${conv.basic}/messages`, { cookie: cookies.basic, body: { clientMessageId: 'att-1', text: '请看截图', attachmentIds: [img.id] } });
    expect(sent.status, sent.body).toBe(201);
    expect(sent.json.message.attachments).toEqual([img]);
    const hist = await k.req('GET', `/api/v1/conversations/${conv.basic}/messages`, { cookie: cookies.basic });
    expect(hist.json.messages.find((m: any) => m.clientMessageId === 'att-1').attachments).toEqual([img]);
    const session = await k.req('GET', '/api/v1/customer/session', { token: customer });
    expect(session.json.messages.find((m: any) => m.id === sent.json.message.id).attachments).toEqual([img]);

    // Members: the agent, an admin of the organisation, the conversation's user (bearer or signed link).
    for (const auth of [{ cookie: cookies.basic }, { cookie: cookies.admin }, { token: customer }]) {
      const got = await fetch(img.url, auth);
      expect(got.status).toBe(200);
      expect(got.headers['content-type']).toBe('image/png');
    }
    const link = await fetch(`/api/v1/customer/attachments/${img.id}/link`, { token: customer });
    expect(link.status).toBe(200);
    const { url, thumbnailUrl, expiresAt } = link.json();
    expect(url).toMatch(new RegExp(`^/api/v1/attachments/${img.id}\\?exp=\\d+&sig=`));
    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(thumbnailUrl)).headers['content-type']).toBe('image/webp');
    expect(Date.parse(expiresAt)).toBeGreaterThan(k.clock.now());

    // Not members: another organisation's admin, another user, nobody, a forged or expired link.
    expect((await fetch(img.url, { cookie: cookies.stranger })).status).toBe(404);
    expect((await fetch(img.url, { token: otherCustomer })).status).toBe(404);
    expect((await fetch(`/api/v1/customer/attachments/${img.id}/link`, { token: otherCustomer })).status).toBe(404);
    expect((await fetch(img.url, { cookie: cookies.senior })).status).toBe(404);
    expect((await fetch(img.url)).status).toBe(401);
    expect((await fetch(url.replace(/sig=./, 'sig=A'))).status).toBe(404);
    const exp = Number(/exp=(\d+)/.exec(url)![1]);
    expect((await fetch(url.replace(`exp=${exp}`, `exp=${exp + 3600}`))).status).toBe(404);
    k.clock.advance(11 * 60_000);
    expect((await fetch(url)).status).toBe(404);

    // An attachment goes out once; nobody else can attach it.
    const again = await k.req('POST', `/api/v1/conversations/${conv.basic}/messages`, { cookie: cookies.basic, body: { clientMessageId: 'att-2', text: '再发一次', attachmentIds: [img.id] } });
    expect(again.json.error.code).toBe('VALIDATION_FAILED');
  });

  it('lets the platform user upload images and video into their conversation, nothing else', async () => {
    // A picture can be a user's first message: it opens their conversation.
    const newcomerToken = await issueCustomerToken(k.ctx, k.org.id, 'ks-att-newcomer', '第一次来');
    const first = await upload('customer', media.png, 'x.png', { headers: { authorization: `Bearer ${newcomerToken}` } });
    expect(first.status).toBe(201);
    const firstSent = await k.req('POST', '/api/v1/customer/messages', { token: newcomerToken, body: { clientMessageId: 'pic-first', text: '', attachmentIds: [first.json.attachment.id] } });
    expect(firstSent.json.message).toMatchObject({ seq: 1, attachments: [{ id: first.json.attachment.id }] });
    const img = await upload('customer', media.smallJpeg, 'IMG_0001.JPG');
    expect(img.status).toBe(201);
    expect(img.json.attachment).toMatchObject({ kind: 'image', mime: 'image/jpeg', name: 'IMG_0001.JPG' });
    const vid = await upload('customer', media.video, 'v.mp4');
    expect(vid.json.attachment.kind).toBe('video');
    await expectRefused(upload('customer', elf(), 'x.png'), 415, 'ATTACHMENT_TYPE_FORBIDDEN');
    const sent = await k.req('POST', '/api/v1/customer/messages', { token: customer, body: { clientMessageId: 'c-att-1', text: '', attachmentIds: [img.json.attachment.id, vid.json.attachment.id] } });
    expect(sent.status, sent.body).toBe(201);
    expect(sent.json.message.attachments.map((a: any) => a.id)).toEqual([img.json.attachment.id, vid.json.attachment.id]);
    expect((await fetch(img.json.attachment.url, { cookie: cookies.basic })).status).toBe(200);
    expect((await fetch(img.json.attachment.url, { cookie: cookies.stranger })).status).toBe(404);
  });

  it('lets only one of two racing sends carry an upload', async () => {
    const img = (await upload('basic', media.png, 'race.png')).json.attachment;
    const send = (id: string) => k.req('POST', `/api/v1/conversations/${conv.basic}/messages`, { cookie: cookies.basic, body: { clientMessageId: id, text: '抢', attachmentIds: [img.id] } });
    const results = await Promise.all([send('race-1'), send('race-2'), send('race-3')]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 400, 400]);
    const hist = await k.req('GET', `/api/v1/conversations/${conv.basic}/messages?limit=200`, { cookie: cookies.basic });
    const carrying = hist.json.messages.filter((m: any) => m.attachments.some((a: any) => a.id === img.id));
    expect(carrying.map((m: any) => m.clientMessageId)).toEqual(results.filter((r) => r.status === 201).map((r) => r.json.message.clientMessageId));
  });

  // Last: it moves the clock a day on, past every session.
  it('sweeps uploads nobody sent after a day, never a sent one', async () => {
    const sent = (await upload('basic', media.png, 'keep.png')).json.attachment;
    expect((await k.req('POST', `/api/v1/conversations/${conv.basic}/messages`, { cookie: cookies.basic, body: { clientMessageId: 'keep-1', text: '', attachmentIds: [sent.id] } })).status).toBe(201);
    const abandoned = (await upload('basic', media.png, 'abandoned.png')).json.attachment;
    const sweeper = new AttachmentService(k.ctx, new LocalDiskStorage(join(dataDir, 'attachments')), loadConfig({}).uploads, join(dataDir, 'uploads'));
    const unsent = () => k.ctx.database.db.selectFrom('attachments').select(['id', 'storage_key']).where('message_id', 'is', null).execute();
    const before = await unsent();
    expect(before.map((r) => r.id)).toContain(abandoned.id);
    expect(await sweeper.sweepUnsent()).toBe(0);

    k.clock.advance(UNSENT_TTL_MS + 60_000);
    expect(await sweeper.sweepUnsent()).toBe(before.length);
    expect(await unsent()).toEqual([]);
    const left = files(join(dataDir, 'attachments'));
    for (const r of before) expect(left.some((f) => f.includes(r.id))).toBe(false);
    expect(left.filter((f) => f.includes(sent.id))).toHaveLength(2); // the file and its thumbnail
    expect((await fetch(sent.url, { token: customer })).status).toBe(200);
  });
});
