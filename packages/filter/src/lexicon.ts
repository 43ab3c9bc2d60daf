import type { Level, LexiconEntry } from './types.ts';

export interface ParseOptions {
  /** 'text': word[<sep>level[<sep>category]] per line; 'csv': comma-separated with optional header; 'auto' (default) decides per file. */
  format?: 'text' | 'csv' | 'auto';
  /** Level for lines that carry none (default 1). */
  level?: Level;
  /** Category for lines that carry none (default 'custom'). */
  category?: string;
  /** Longest accepted word in UTF-16 units (default 64). */
  maxWordLength?: number;
}

export interface ParseError {
  line: number;
  message: string;
}

const LEVELS: Record<string, Level> = { '1': 1, '2': 2, '3': 3, 'l1': 1, 'l2': 2, 'l3': 3, '一': 1, '二': 2, '三': 3 };
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** Split one CSV line (RFC 4180 quotes); null when a quote is left open. */
function splitCsv(line: string): string[] | null {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (q) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else q = false;
      } else cur += ch;
    } else if (ch === '"' && cur.trim() === '') {
      q = true;
      cur = '';
    } else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (q) return null;
  out.push(cur);
  return out.map((c) => c.trim());
}

/**
 * Parse a lexicon from plain text or CSV. Bad lines are reported in `errors` with their 1-based
 * line number and skipped; suspicious but valid lines (single characters) come back in
 * `warnings`; duplicates are merged keeping the most severe level (1 is the most severe).
 */
export function parseLexicon(
  text: string,
  opts: ParseOptions = {},
): { entries: LexiconEntry[]; errors: ParseError[]; warnings: ParseError[] } {
  const defLevel = opts.level ?? 1;
  const defCat = opts.category ?? 'custom';
  const maxLen = opts.maxWordLength ?? 64;
  const errors: ParseError[] = [];
  const warnings: ParseError[] = [];
  const byWord = new Map<string, LexiconEntry>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let format = opts.format ?? 'auto';
  if (format === 'auto') {
    const first = lines.find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
    format = /^\s*"?word"?\s*,/i.test(first) || /^[^\t]*,\s*[123]?\s*(,|$)/.test(first) ? 'csv' : 'text';
  }
  lines.forEach((rawLine, idx) => {
    const line = idx + 1;
    const trimmed = rawLine.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    let cols: string[];
    if (format === 'csv') {
      const c = splitCsv(rawLine);
      if (!c) {
        errors.push({ line, message: 'unterminated quote' });
        return;
      }
      cols = c;
      if (line === 1 || idx === lines.findIndex((l) => l.trim() !== '')) {
        if (/^word$/i.test(cols[0] ?? '') || cols[0] === '词' || cols[0] === '敏感词') return; // header
      }
    } else {
      cols = rawLine.trimEnd().split('\t').map((c) => c.trim());
      if (cols.length === 1) {
        // "word 2 category" with spaces is accepted when the second column is a level
        const sp = trimmed.split(/\s+/);
        if (sp.length >= 2 && LEVELS[sp[1]!.toLowerCase()] !== undefined) cols = sp;
      }
    }
    if (cols.length > 3) {
      errors.push({ line, message: `expected at most 3 columns (word, level, category), got ${cols.length}` });
      return;
    }
    const word = cols[0] ?? '';
    if (word === '') {
      errors.push({ line, message: 'empty word' });
      return;
    }
    if (CONTROL.test(word)) {
      errors.push({ line, message: 'control character in word' });
      return;
    }
    if (word.length > maxLen) {
      errors.push({ line, message: `word longer than ${maxLen} characters` });
      return;
    }
    let level = defLevel;
    const lv = cols[1];
    if (lv !== undefined && lv !== '') {
      const l = LEVELS[lv.toLowerCase()];
      if (l === undefined) {
        errors.push({ line, message: `invalid level "${lv}" (expected 1, 2 or 3)` });
        return;
      }
      level = l;
    }
    const category = cols[2] !== undefined && cols[2] !== '' ? cols[2] : defCat;
    // accepted, but a single character (的, 了) flags most messages: lexicon hygiene
    if (Array.from(word).length === 1) warnings.push({ line, message: `single-character word "${word}" will match very often` });
    const prev = byWord.get(word);
    if (!prev || level < prev.level) byWord.set(word, { word, level, category });
  });
  return { entries: [...byWord.values()], errors, warnings };
}
