import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** One word a line, BOM and blanks dropped, trimmed, distinct. */
export function readWords(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  return [...new Set(text.split(/\r?\n/).map((w) => w.trim()).filter(Boolean))];
}

/** Minimal RFC 4180 reader (quoted fields, doubled quotes, newlines inside quotes). */
export function readCsv(file: string): string[][] {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (q) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cur += '"';
          i++;
        } else q = false;
      } else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      row.push(cur);
      cur = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cur);
      rows.push(row);
      row = [];
      cur = '';
    } else cur += ch;
  }
  if (cur !== '' || row.length) {
    row.push(cur);
    rows.push(row);
  }
  return rows;
}

export interface Data {
  houbb: string[];
  toolgood: string[];
  shopping: string[];
  waimai: string[];
  hotel: string[];
}

export function loadData(dir: string): Data {
  const col = (rows: string[][], name: string) => {
    const i = rows[0]!.indexOf(name);
    return rows.slice(1).map((r) => (r[i] ?? '').replace(/^\uFEFF/, '')).filter((t) => t.length > 0);
  };
  return {
    houbb: readWords(resolve(dir, 'lexicons/houbb_dict_v20240407.txt')),
    toolgood: readWords(resolve(dir, 'lexicons/toolgood/BadWord.txt')),
    shopping: col(readCsv(resolve(dir, 'corpora/online_shopping_10_cats.csv')), 'review'),
    waimai: col(readCsv(resolve(dir, 'corpora/waimai_10k.csv')), 'review'),
    hotel: col(readCsv(resolve(dir, 'corpora/ChnSentiCorp_htl_all.csv')), 'review'),
  };
}
