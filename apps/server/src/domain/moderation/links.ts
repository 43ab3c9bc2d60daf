/**
 * External-link detection for agents who may not send links. Finds plain URLs, bare domains,
 * full-width and 点/dot spellings (`www点xxx点com`), short-link hosts and links split by spaces,
 * and maps each back to its span in the original text.
 */

export interface LinkHit { start: number; end: number; host: string }

// Top-level domains we recognise for bare domains. A URL with a scheme or `www.` needs none of them.
const TLDS = [
  'com', 'cn', 'net', 'org', 'cc', 'top', 'xyz', 'io', 'me', 'co', 'info', 'vip', 'shop', 'app', 'link', 'site', 'online', 'club', 'tk', 'ly', 'gl', 'to',
  'im', 'tv', 'hk', 'tw', 'jp', 'us', 'uk', 'ru', 'biz', 'ink', 'wang', 'ltd', 'store', 'live', 'fun', 'pro', 'icu', 'asia', 'mobi', 'work', 'dev', 'cloud', 'run', 'so', 'la', 'gd',
];
const TLD_ALT = TLDS.sort((a, b) => b.length - a.length).join('|');
/** Shorteners hide their target, so they are external even if the allow-list would match them. */
export const SHORT_LINK_HOSTS = ['t.cn', 'dwz.cn', 'url.cn', 'suo.im', 'bit.ly', 'tinyurl.com', 'is.gd', 'goo.gl', 't.co', 'ow.ly', 'v.gd', '0x3.me', 'c7.gg', 'sohu.gg', 'u.nu'];

// Separators people write for a dot.
const DOT_WORDS = ['(dot)', '[dot]', '{dot}', '(.)', '[.]', ' dot ', '点', '點', '。', '｡', '．', '・', '丶'];

interface Norm { text: string; map: number[] }

const DOT_STARTS = new Set(DOT_WORDS.map((w) => w[0]!));

/** Normalise for matching, keeping for each output char the index of its source char. */
function normalise(input: string): Norm {
  let text = '';
  const map: number[] = [];
  let i = 0;
  while (i < input.length) {
    const c0 = input[i]!;
    if (DOT_STARTS.has(c0) || DOT_STARTS.has(c0.toLowerCase())) {
      const rest = input.slice(i, i + 5).toLowerCase();
      const dot = DOT_WORDS.find((w) => rest.startsWith(w));
      if (dot) {
        text += '.';
        map.push(i);
        i += dot.length;
        continue;
      }
    }
    const code = input.charCodeAt(i);
    if (code < 0x80) {
      // ASCII needs no NFKC: only case folding.
      text += code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : c0;
      map.push(i);
      i++;
      continue;
    }
    if (code >= 0x4e00 && code <= 0x9fff) {
      // Unified ideographs are their own NFKC form.
      text += c0;
      map.push(i);
      i++;
      continue;
    }
    const cp = input.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    const ch = String.fromCodePoint(cp).normalize('NFKC').toLowerCase();
    for (const c of ch) {
      text += c;
      map.push(i);
    }
    i += len;
  }
  return { text, map };
}

/** Remove whitespace that touches a dot or sits inside a run of single Latin letters (w w w). */
function squeeze(n: Norm): Norm {
  let text = '';
  const map: number[] = [];
  const t = n.text;
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (/\s/.test(c)) {
      let j = i;
      while (j < t.length && /\s/.test(t[j]!)) j++;
      const prev = text[text.length - 1] ?? '';
      const next = t[j] ?? '';
      const aroundDot = prev === '.' || next === '.' || prev === '/' || next === '/' || prev === ':';
      // "w w w": single letters separated by spaces, judged on the original spacing.
      const single = (k: number) => /[a-z0-9]/.test(t[k] ?? '') && !/[a-z0-9]/.test(t[k - 1] ?? '') && !/[a-z0-9]/.test(t[k + 1] ?? '');
      const letterRun = single(i - 1) && single(j);
      if (aroundDot || letterRun) {
        i = j - 1;
        continue;
      }
    }
    text += c;
    map.push(n.map[i]!);
  }
  return { text, map };
}

const LABEL = '[a-z0-9\\u4e00-\\u9fff](?:[a-z0-9\\u4e00-\\u9fff-]{0,61}[a-z0-9\\u4e00-\\u9fff])?';
const URL_RE = new RegExp(
  `(?:(?:https?|ftp):\\/\\/(${LABEL}(?:\\.${LABEL})+)|(www\\.${LABEL}(?:\\.${LABEL})*)|((?:${LABEL}\\.)+(?:${TLD_ALT})))(?![a-z0-9])(?::\\d{1,5})?(?:[/?#][^\\s\\u4e00-\\u9fff，。！？]*)?`,
  'g',
);

function hostAllowed(host: string, allow: string[]): boolean {
  if (SHORT_LINK_HOSTS.includes(host)) return false;
  return allow.some((d) => host === d || host.endsWith(`.${d}`));
}

/** A link needs Latin letters (a TLD): text without any, half or full width, has none. */
const MAY_HAVE_LINK = /[A-Za-z\uFF21-\uFF3A\uFF41-\uFF5A]/;

/** Every link has one of these: a scheme, `www.`, or a dot before a known top-level domain. */
const ANCHOR_RE = new RegExp(`:\\/\\/|www\\.|\\.(?:${TLD_ALT})(?![a-z0-9])`);

export function findExternalLinks(text: string, allowHosts: string[]): LinkHit[] {
  if (!MAY_HAVE_LINK.test(text)) return [];
  const n = squeeze(normalise(text));
  // The full URL pattern backtracks over long runs of text; most texts have no anchor at all.
  if (!ANCHOR_RE.test(n.text)) return [];
  const hits: LinkHit[] = [];
  for (const m of n.text.matchAll(URL_RE)) {
    const host = (m[1] ?? m[2] ?? m[3] ?? '').replace(/\.$/, '');
    // Without a scheme, decimal numbers and versions (3.5, 1.2.3) are not hosts.
    if (!m[1] && /^[\d.]+$/.test(host)) continue;
    const bare = host.replace(/^www\./, '');
    if (hostAllowed(bare, allowHosts)) continue;
    let endIdx = m.index! + m[0].length;
    while (endIdx > m.index! && /[.,;:!?)\]]/.test(n.text[endIdx - 1]!)) endIdx--;
    const start = n.map[m.index!]!;
    const lastSrc = n.map[endIdx - 1]!;
    const end = lastSrc + (text.codePointAt(lastSrc)! > 0xffff ? 2 : 1);
    hits.push({ start, end, host: bare });
  }
  return hits;
}
