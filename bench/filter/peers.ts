/** Uniform adapters over Kefu's filter and the three JS peers, all returning every match they report. */
import { AhoCorasick as Monyone } from '@monyone/aho-corasick';
import { AhoCorasick as MonyoneFast } from '@monyone/aho-corasick/fast';
import FastScanner from 'fastscan';
import { Mint } from 'mint-filter';
import { buildFilter, type FilterOptions } from '../../packages/filter/src/index.ts';

export interface Engine {
  /** number of matches reported for the text */
  count(text: string): number;
  /** the words found */
  words(text: string): string[];
}

export interface Lib {
  name: string;
  build(words: string[]): Engine;
}

export const kefu = (label: string, options: FilterOptions): Lib => ({
  name: label,
  build(words) {
    const f = buildFilter(
      words.map((word) => ({ word, level: 1, category: 'x' })),
      options,
    );
    return { count: (t) => f.scan(t).hits.length, words: (t) => f.scan(t).hits.map((h) => h.word) };
  },
});

export const PEERS: Lib[] = [
  {
    name: '@monyone/aho-corasick',
    build(words) {
      const ac = new Monyone(words);
      return { count: (t) => ac.matchInText(t).length, words: (t) => ac.matchInText(t).map((m) => m.keyword) };
    },
  },
  {
    name: '@monyone/aho-corasick/fast',
    build(words) {
      const ac = new MonyoneFast(words);
      return { count: (t) => ac.matchInText(t).length, words: (t) => ac.matchInText(t).map((m) => m.keyword) };
    },
  },
  {
    name: 'fastscan',
    build(words) {
      const s = new FastScanner(words);
      return { count: (t) => s.search(t).length, words: (t) => s.search(t).map((m: [number, string]) => m[1]) };
    },
  },
  {
    name: 'mint-filter',
    build(words) {
      const m = new Mint(words);
      // mint reports each distinct word once, not every occurrence
      return { count: (t) => m.filter(t, { replace: false }).words.length, words: (t) => m.filter(t, { replace: false }).words };
    },
  },
];
