/**
 * Binary form of a built filter: a small JSON header (options, entries, astral classes) and the
 * typed arrays, 8-byte aligned, so loading is a few views over one buffer instead of a rebuild.
 *
 * Layout: "KFLT" | u32 version | u32 headerBytes | header JSON (UTF-8, padded) | sections.
 */
import type { Automaton } from './automaton.ts';
import { makeFilter, type Core, type Filter } from './filter.ts';
import type { CanonTables } from './normalize.ts';

const MAGIC = 0x544c464b; // "KFLT" little-endian
const VERSION = 2; // 2: output flag in bit 31 of check

type Section = Int32Array | Uint16Array | Uint8Array;

interface Header {
  options: Core['options'];
  categories: string[];
  astral: Array<[string, number]>;
  patterns: number;
  size: number;
  maxDepth: number;
  switches: CanonTables['switches'] | null;
  sections: Array<[string, 'i32' | 'u16' | 'u8', number]>;
}

const pad8 = (n: number) => (n + 7) & ~7;

function wordUnits(s: string): Uint16Array {
  const a = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) a[i] = s.charCodeAt(i);
  return a;
}
const utf16 = new TextDecoder('utf-16le');

export function serializeCore(core: Core): Uint8Array {
  const { ac } = core;
  const sections: Array<[string, Section]> = [
    ['da', ac.da],
    ['fail', ac.fail],
    ['firstOut', ac.firstOut],
    ['dict', ac.dict],
    ['out', ac.out],
    ['depth', ac.depth],
    ['flags', ac.flags],
    ['cls', core.cls],
    ['classOfCode', core.classOfCode],
    ['wordOffs', core.entries.offs],
    ['levels', core.entries.levels],
    ['cats', core.entries.cats],
    ['words', wordUnits(core.entries.words)],
  ];
  if (core.tables) sections.push(['canon', core.tables.canon], ['noise', core.tables.noise]);
  const kind = (a: Section) => (a instanceof Int32Array ? 'i32' : a instanceof Uint16Array ? 'u16' : 'u8');
  const header: Header = {
    options: core.options,
    categories: core.entries.categories,
    astral: [...core.astralClass],
    patterns: core.patterns,
    size: ac.size,
    maxDepth: ac.maxDepth,
    switches: core.tables ? core.tables.switches : null,
    sections: sections.map(([name, a]) => [name, kind(a), a.length]),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  let total = 12 + pad8(json.length);
  for (const [, a] of sections) total += pad8(a.byteLength);
  const buf = new Uint8Array(total);
  const dv = new DataView(buf.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, VERSION, true);
  dv.setUint32(8, json.length, true);
  buf.set(json, 12);
  let off = 12 + pad8(json.length);
  for (const [, a] of sections) {
    buf.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), off);
    off += pad8(a.byteLength);
  }
  return buf;
}

/** Restore a filter saved with `filter.serialize()`. The bytes are viewed, not copied, when 8-byte aligned. */
export function loadFilter(bytes: Uint8Array): Filter {
  let b = bytes;
  if (b.byteOffset % 8 !== 0) b = b.slice();
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.byteLength < 12 || dv.getUint32(0, true) !== MAGIC) throw new Error('not a Kefu filter (bad magic)');
  const version = dv.getUint32(4, true);
  if (version !== VERSION) throw new Error(`unsupported filter version ${version}`);
  const hlen = dv.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(b.subarray(12, 12 + hlen))) as Header;
  let off = b.byteOffset + 12 + pad8(hlen);
  const arrays: Record<string, Section> = {};
  for (const [name, k, len] of header.sections) {
    const bytesPer = k === 'i32' ? 4 : k === 'u16' ? 2 : 1;
    if (off - b.byteOffset + len * bytesPer > b.byteLength) throw new Error('truncated filter');
    arrays[name] =
      k === 'i32' ? new Int32Array(b.buffer, off, len) : k === 'u16' ? new Uint16Array(b.buffer, off, len) : new Uint8Array(b.buffer, off, len);
    off += pad8(len * bytesPer);
  }
  const ac: Automaton = {
    da: arrays.da as Int32Array,
    fail: arrays.fail as Int32Array,
    firstOut: arrays.firstOut as Int32Array,
    dict: arrays.dict as Int32Array,
    out: arrays.out as Int32Array,
    depth: arrays.depth as Uint16Array,
    flags: arrays.flags as Uint8Array,
    size: header.size,
    maxDepth: header.maxDepth,
  };
  const tables: CanonTables | undefined = header.switches
    ? { canon: arrays.canon as Uint16Array, noise: arrays.noise as Uint8Array, switches: header.switches }
    : undefined;
  return makeFilter({
    entries: {
      words: utf16.decode(arrays.words!),
      offs: arrays.wordOffs as Int32Array,
      levels: arrays.levels as Uint8Array,
      cats: arrays.cats as Uint16Array,
      categories: header.categories,
    },
    options: header.options,
    ac,
    cls: arrays.cls as Uint16Array,
    classOfCode: arrays.classOfCode as Uint16Array,
    astralClass: new Map(header.astral),
    patterns: header.patterns,
    tables,
  });
}
