/**
 * Image cleaning: decode (refusing decompression bombs and truncated files), auto-rotate, drop
 * every metadata block (EXIF with GPS, XMP, IPTC, comments), and fit under the size budget by
 * re-encoding as JPEG at quality 80, scaling down proportionally until it fits. Plus a thumbnail.
 *
 * sharp (libvips) runs each pipeline on libuv's thread pool, so the event loop keeps serving
 * while images are worked on; a small gate keeps image jobs from taking every pool thread, which
 * file-system calls share.
 */
import { availableParallelism } from 'node:os';
import type { Metadata, Sharp } from 'sharp';

// sharp (libvips) is loaded on the first image, not at server start: it is a tenth of the boot.
let sharp: typeof import('sharp')['default'];
let loading: Promise<void> | null = null;
function loadSharp(): Promise<void> {
  loading ??= import('sharp').then((m) => {
    sharp = m.default;
    sharp.cache(false); // every upload is read once; caching decoded images only costs memory
  });
  return loading;
}

export interface ImageLimits {
  /** Declared width × height above this is refused before any pixel is decoded. */
  maxPixels: number;
  /** Output budget (DESIGN 1.2 step 5: 2 MB). */
  targetBytes: number;
  /** Longest side of the thumbnail. */
  thumbSize: number;
}

export const JPEG_QUALITY = 80;

export function defaultImageJobs(): number {
  return Math.max(1, availableParallelism() - 1);
}

export interface CleanImage {
  data: Buffer;
  mime: string;
  ext: string;
  width: number;
  height: number;
  thumb: Buffer;
  /** Encodes it took (for the bench). */
  passes: number;
}

export class ImageRefused extends Error {
  constructor(readonly reason: 'unreadable' | 'too_many_pixels', message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ImageRefused';
  }
}

type Out = 'jpeg' | 'png' | 'webp' | 'gif';
/** The format a cleaned image keeps when it fits the budget; TIFF and AVIF become web formats. */
const KEEP: Record<string, Out> = { jpeg: 'jpeg', png: 'png', webp: 'webp', gif: 'gif', avif: 'webp', tiff: 'jpeg', heif: 'webp' };
const MIME: Record<Out, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif' };
const EXT: Record<Out, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', gif: 'gif' };

/**
 * A JPEG re-encoded at quality 80 keeps roughly this share of a camera JPEG's bytes (cameras and
 * phones save at 90–97). Used only for the first guess of the scale, so a big photo usually takes
 * one encode instead of a full-size encode that is thrown away; the loop below still verifies.
 */
const JPEG_Q80_SHARE = 0.6;

class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export class ImageCleaner {
  private readonly gate: Gate;
  readonly concurrency: number;

  /**
   * Image jobs at once; by default one core is left to the event loop and the database, because
   * chat latency matters more than image throughput. On the shared 2-core host a second job gave
   * 1.3–1.5× the throughput and raised the event-loop delay p99 from ~35 ms to 48–72 ms across
   * runs (`npm run bench:attachments` measures both). `KEFU_IMAGE_JOBS` overrides it.
   */
  constructor(readonly limits: ImageLimits, concurrency = defaultImageJobs()) {
    this.concurrency = Math.max(1, concurrency);
    this.gate = new Gate(this.concurrency);
  }

  async clean(input: string | Buffer, inputBytes: number): Promise<CleanImage> {
    await loadSharp();
    return this.gate.run(() => this.cleanNow(input, inputBytes));
  }

  private open(input: string | Buffer, animated = false): Sharp {
    // failOn 'warning': a truncated or corrupt file is an error, not a half-grey picture.
    return sharp(input, { limitInputPixels: this.limits.maxPixels, failOn: 'warning', animated }).autoOrient();
  }

  private async cleanNow(input: string | Buffer, inputBytes: number): Promise<CleanImage> {
    const { limits } = this;
    let meta: Metadata;
    try {
      meta = await sharp(input, { limitInputPixels: false }).metadata();
    } catch (err) {
      throw unreadable(err);
    }
    const w0 = meta.width ?? 0;
    const h0 = meta.pageHeight ?? meta.height ?? 0;
    if (!w0 || !h0) throw new ImageRefused('unreadable', 'The image has no dimensions.');
    if (w0 * h0 > limits.maxPixels) {
      throw new ImageRefused('too_many_pixels', `The image is ${w0}×${h0} pixels; at most ${limits.maxPixels.toLocaleString('en')} pixels are accepted.`, {
        width: w0, height: h0, maxPixels: limits.maxPixels,
      });
    }
    const rotated = (meta.orientation ?? 1) >= 5;
    const width = rotated ? h0 : w0;
    const height = rotated ? w0 : h0;
    const format = meta.format as string;
    const animated = (meta.pages ?? 1) > 1 && (format === 'gif' || format === 'webp');
    let passes = 0;

    try {
      let data: Buffer | null = null;
      let out: Out = KEEP[format] ?? 'jpeg';
      let outW = width;
      let outH = height;
      // Small enough already: clean it and keep its format (and animation).
      if (inputBytes <= limits.targetBytes) {
        if (out === 'jpeg' && meta.hasAlpha) out = 'png';
        const img = this.open(input, animated);
        passes++;
        const buf = await encode(img, out, 90).toBuffer();
        if (buf.length <= limits.targetBytes) data = buf;
      }
      if (!data) {
        // Over budget: JPEG quality 80, scaled down proportionally until it fits.
        out = 'jpeg';
        let scale = format === 'jpeg' ? Math.min(1, Math.sqrt((limits.targetBytes * 0.9) / (inputBytes * JPEG_Q80_SHARE))) : 1;
        for (;;) {
          outW = Math.max(1, Math.round(width * scale));
          outH = Math.max(1, Math.round(height * scale));
          let img = this.open(input);
          if (scale < 1) img = img.resize(outW, outH, { fit: 'fill' });
          if (meta.hasAlpha) img = img.flatten({ background: '#ffffff' });
          passes++;
          const buf = await img.jpeg({ quality: JPEG_QUALITY }).toBuffer();
          if (buf.length <= limits.targetBytes) {
            data = buf;
            break;
          }
          if (passes > 8 || outW <= 16 || outH <= 16) throw new ImageRefused('unreadable', 'The image cannot be compressed under the size limit.');
          // JPEG size grows about with the pixel count: aim a little under the budget.
          scale *= Math.min(0.95, Math.sqrt((limits.targetBytes * 0.92) / buf.length));
        }
      }
      const thumb = await sharp(data, { failOn: 'none' })
        .resize(limits.thumbSize, limits.thumbSize, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 70 })
        .toBuffer();
      return { data, mime: MIME[out], ext: EXT[out], width: outW, height: outH, thumb, passes };
    } catch (err) {
      if (err instanceof ImageRefused) throw err;
      throw unreadable(err);
    }
  }
}

function encode(img: Sharp, out: Out, quality: number): Sharp {
  switch (out) {
    case 'jpeg': return img.jpeg({ quality });
    case 'png': return img.png();
    case 'webp': return img.webp({ quality });
    case 'gif': return img.gif();
  }
}

function unreadable(err: unknown): ImageRefused {
  const msg = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(msg)) return new ImageRefused('too_many_pixels', 'The image has too many pixels.');
  return new ImageRefused('unreadable', 'The image is truncated or corrupt and cannot be read.');
}
