import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildFilter, type Hit } from '../src/index.ts';
import { canonAstral, canonTables, canonWord } from '../src/normalize.ts';

/**
 * Reference for the character-level normalisations: canonicalise the text into a separate
 * stream (noise dropped), remember where each canonical character came from, search naively,
 * map back. Slow and obvious; the engine must agree with it exactly.
 */
const SW = { caseFold: true, width: true, traditional: true, digits: true, noise: true };
function reference(words: string[], text: string): string[] {
  const t = canonTables(SW);
  let stream = '';
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const start = i;
    const u = text.charCodeAt(i);
    let ch: string;
    if (u >= 0xd800 && u <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      ch = canonAstral(text.codePointAt(i)!, t);
      i++;
    } else ch = t.noise[u] ? '' : String.fromCharCode(t.canon[u]!);
    if (ch === '') continue;
    stream += ch;
    for (let k = 0; k < ch.length; k++) {
      from.push(start);
      to.push(i + 1);
    }
  }
  const out: string[] = [];
  for (const w of new Set(words)) {
    const cw = canonWord(w, t);
    if (!cw) continue;
    for (let p = stream.indexOf(cw); p >= 0; p = stream.indexOf(cw, p + 1)) out.push(`${w}@${from[p]}-${to[p + cw.length - 1]}`);
  }
  return out.sort();
}

describe('normalised scanning equals canonicalise-then-search', () => {
  it('case, width, traditional, digits, noise, invisible and astral characters', () => {
    // letters in several disguises, noise of every kind; no emoji substitutes (they are context-dependent)
    const ch = fc.constantFrom('支', '付', '寶', '宝', 'A', 'a', 'Ａ', '𝐚', 'b', 'ⓑ', '1', '①', '壹', '*', ' ', '\u200b', '😀', '，', '\u3000', '⽀', 'x');
    const word = fc.array(fc.constantFrom('支', '付', '宝', 'a', 'b', '1', 'x'), { minLength: 1, maxLength: 4 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), fc.array(ch, { maxLength: 40 }), (words, t) => {
        const text = t.join('');
        const entries = [...new Set(words)].map((w) => ({ word: w, level: 1 as const, category: 'c' }));
        const f = buildFilter(entries, { repetition: false, contacts: false, pinyin: false, homophones: false, boundaries: false });
        // distinct words can share a canonical form: the engine reports one entry per form
        const got = f.scan(text).hits.map((h: Hit) => `${h.word}@${h.start}-${h.end}`).sort();
        const canonOwner = new Map<string, string>();
        for (const e of entries) if (!canonOwner.has(canonWord(e.word, canonTables(SW)))) canonOwner.set(canonWord(e.word, canonTables(SW)), e.word);
        const owners = new Set(canonOwner.values());
        expect(got).toEqual(reference([...owners], text));
      }),
      { numRuns: 400 },
    );
  });
});
