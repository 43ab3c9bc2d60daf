/**
 * Test media, generated on the spot (nothing downloaded, nothing big committed): photo-like JPEGs
 * with EXIF GPS, PNGs, a PNG decompression bomb, an MP4 header, executables, and a reader of JPEG
 * quantisation tables to tell the quality a JPEG was saved at.
 */
import { createDeflate } from 'node:zlib';
import sharp from 'sharp';

/** Smooth gradients, stripes and seeded noise: compresses like a photo, not like a flat colour. */
export function photoPixels(width: number, height: number, noise: number, seed = 1): Buffer {
  const buf = Buffer.allocUnsafe(width * height * 3);
  let s = seed >>> 0;
  let i = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      s = (s * 1664525 + 1013904223) >>> 0;
      const n = (((s >>> 24) - 128) * noise) / 128;
      const base = 128 + 90 * Math.sin(x / 97 + y / 151);
      buf[i++] = clamp(base + n);
      buf[i++] = clamp(255 - base + n * 0.8 + (x % 200 < 100 ? 20 : -20));
      buf[i++] = clamp((x * 255) / width + n * 0.6);
    }
  }
  return buf;
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

/** GPS of Tiananmen Square, in EXIF's rational notation. */
export const GPS_EXIF = {
  IFD0: { Make: 'KefuTestCam', Model: 'K1' },
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '39/1 54/1 2700/100', GPSLongitudeRef: 'E', GPSLongitude: '116/1 23/1 1800/100' },
};

export async function photoJpeg(o: { width: number; height: number; noise?: number; quality?: number; gps?: boolean; seed?: number }): Promise<Buffer> {
  let img = sharp(photoPixels(o.width, o.height, o.noise ?? 40, o.seed), { raw: { width: o.width, height: o.height, channels: 3 } }).jpeg({ quality: o.quality ?? 92 });
  if (o.gps) img = img.withExif(GPS_EXIF);
  return img.toBuffer();
}

export async function png(width: number, height: number, noise = 10): Promise<Buffer> {
  return sharp(photoPixels(width, height, noise), { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/** True when an EXIF block carries a GPS IFD pointer (tag 0x8825, either byte order). */
export function hasGpsPointer(exif: Buffer | undefined): boolean {
  if (!exif) return false;
  return exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]));
}

/** An ISO-BMFF header (`ftyp` isom/mp41) and an `mdat` box of filler: what file-type sniffs as MP4. */
export function mp4(totalBytes: number): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypisom', 4, 'latin1');
  ftyp.writeUInt32BE(0x200, 12);
  ftyp.write('isommp41', 16, 'latin1');
  const body = Math.max(8, totalBytes - ftyp.length);
  const mdat = Buffer.alloc(body, 0x11);
  mdat.writeUInt32BE(body, 0);
  mdat.write('mdat', 4, 'latin1');
  return Buffer.concat([ftyp, mdat]);
}

/** A 64-bit little-endian ELF header followed by code-looking bytes. */
export function elf(bytes = 4096): Buffer {
  const b = Buffer.alloc(bytes, 0x90);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0, 1, 0, 0, 0]).copy(b);
  return b;
}

/** A Windows PE: `MZ` header pointing at a `PE\0\0` signature. */
export function pe(bytes = 4096): Buffer {
  const b = Buffer.alloc(bytes, 0);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  b.writeUInt16LE(0x14c, 0x84);
  return b;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/**
 * A valid greyscale PNG of `side`×`side` zero pixels: a few hundred KB on disk, `side²` bytes
 * (400 MB at 20,000) once decoded. The classic decompression bomb.
 */
export async function pngBomb(side: number): Promise<Buffer> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (d: Buffer) => parts.push(d));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  const rows = 256;
  const block = Buffer.alloc((side + 1) * rows); // each row: filter byte 0 + pixels
  for (let y = 0; y < side; y += rows) {
    const n = Math.min(rows, side - y);
    if (!deflate.write(n === rows ? block : block.subarray(0, (side + 1) * n))) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await done;
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', Buffer.concat(parts)), chunk('IEND', Buffer.alloc(0))]);
}

/** The markers of a JPEG's segments up to the image data (APP1 = 0xe1 holds EXIF and XMP). */
export function jpegMarkers(jpeg: Buffer): number[] {
  const out: number[] = [];
  let i = 2;
  while (i + 4 <= jpeg.length && jpeg[i] === 0xff) {
    const marker = jpeg[i + 1]!;
    out.push(marker);
    if (marker === 0xda) break;
    i += 2 + jpeg.readUInt16BE(i + 2);
  }
  return out;
}

/** The first (luminance) quantisation table of a baseline JPEG, in file order. */
export function lumaQuantTable(jpeg: Buffer): number[] {
  let i = 2;
  while (i + 4 <= jpeg.length) {
    if (jpeg[i] !== 0xff) throw new Error('not a JPEG marker');
    const marker = jpeg[i + 1]!;
    const len = jpeg.readUInt16BE(i + 2);
    if (marker === 0xdb) {
      const pq = jpeg[i + 4]! >> 4;
      const out: number[] = [];
      for (let k = 0; k < 64; k++) out.push(pq ? jpeg.readUInt16BE(i + 5 + 2 * k) : jpeg[i + 5 + k]!);
      return out;
    }
    if (marker === 0xda) break;
    i += 2 + len;
  }
  throw new Error('no quantisation table');
}
