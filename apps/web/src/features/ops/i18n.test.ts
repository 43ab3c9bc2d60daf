import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import opsZhCN from '../../i18n/ops.zh-CN.ts';
import opsEn from '../../i18n/ops.en.ts';

function keysOf(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keysOf(v as object, `${prefix}${k}.`)));
}
function lookup(o: object, key: string): unknown {
  return key.split('.').reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Record<string, unknown>)[k] : undefined), o);
}

const here = dirname(fileURLToPath(import.meta.url));
const sources = readdirSync(here)
  .filter((f) => f.endsWith('.tsx') && !f.endsWith('.test.tsx'))
  .map((f) => ({ f, text: readFileSync(join(here, f), 'utf8') }));

describe('ops translations', () => {
  it('English has exactly the Chinese keys, and is English', () => {
    expect(keysOf(opsEn).sort()).toEqual(keysOf(opsZhCN).sort());
    for (const k of keysOf(opsEn)) expect(String(lookup(opsEn, k)), k).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('every literal key the pages ask for exists (in the ops namespace)', () => {
    const missing: string[] = [];
    for (const { f, text } of sources) {
      // t('a.b') or t(`a.${x}`): the static prefix of template keys must name an object.
      for (const m of text.matchAll(/\bt\((['`])([a-zA-Z]+(?:\.[a-zA-Z0-9*]+)*)(\.\$\{[^}]+\})?\1/g)) {
        const key = m[2]!;
        const v = lookup(opsZhCN, key);
        if (m[3] ? typeof v !== 'object' : typeof v !== 'string') missing.push(`${f}: ${key}${m[3] ?? ''}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('no Chinese text is hard-coded in the pages', () => {
    for (const { f, text } of sources) {
      // Comments may be Chinese; code may hold only the template variables ({昵称}…) and separators.
      const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '').replace(/'\{(昵称|订单号|客服名)\}'/g, '');
      const found = code.match(/[\u4e00-\u9fff]+/g) ?? [];
      expect(found, f).toEqual([]);
    }
  });
});
