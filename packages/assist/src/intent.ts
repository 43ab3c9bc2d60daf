/** Intent of a conversation from its first user turns: cold-start cues or a trained model. */
import type { HashedClassifier } from './classifier.ts';
import { CueMatcher } from './cues.ts';
import { INTENT_CUES } from './lexicon.ts';
import type { HashedNB } from './nb.ts';
import { featureText, gramHash, normalise } from './text.ts';
import type { BuiltinIntent, IntentScore, Turn } from './types.ts';

type Cued = Exclude<BuiltinIntent, 'other'>;
const matcher = new CueMatcher<Cued>(INTENT_CUES);
const LABELS: BuiltinIntent[] = ['refund', 'return_exchange', 'logistics', 'product_question', 'payment_problem', 'account_ban_appeal', 'complaint', 'other'];

/** How many user turns the intent reads; later turns rarely change what the visit is about. */
export const INTENT_TURNS = 10;

/** The text the intent models read: the first user turns, joined. */
export function intentText(turns: Turn[] | string, userTurns = INTENT_TURNS, agentTurns = 4): string {
  if (typeof turns === 'string') return turns;
  const user = turns.filter((t) => t.role === 'user').slice(0, userTurns);
  // Agents' first replies often name the topic (您是要退款吗?); only the first few are read.
  const agent = turns.filter((t) => t.role === 'agent').slice(0, agentTurns);
  return [...user.map((t) => t.text), ...agent.map((t) => t.text)].join('\n');
}

export function lexiconIntent(turns: Turn[] | string): IntentScore[] {
  const userText = typeof turns === 'string' ? turns : turns.filter((t) => t.role === 'user').slice(0, INTENT_TURNS).map((t) => t.text).join('\n');
  const s: Record<string, number> = {};
  for (const l of LABELS) s[l] = 0;
  // Earlier turns weigh more: the opening usually states the purpose.
  const lines = normalise(userText).split('\n');
  lines.forEach((line, i) => {
    const w = 1 / (1 + 0.3 * i);
    for (const h of matcher.scan(line)) s[h.label]! += h.weight * w;
  });
  s.other = 1.2;
  const logits = LABELS.map((l) => 1.6 * s[l]!);
  const max = Math.max(...logits);
  const ex = logits.map((x) => Math.exp(x - max));
  const z = ex.reduce((a, b) => a + b, 0);
  return LABELS.map((label, i) => ({ label, p: ex[i]! / z })).sort((a, b) => b.p - a.p);
}

/**
 * Features of the whole conversation for the naive-Bayes intent head: character 1–3-grams of
 * every turn, the agent's hashed apart from the user's (binary presence). A plain string is read
 * as one user turn.
 */
export function conversationFeatures(turns: Turn[] | string, bits: number): Uint32Array {
  const list: Turn[] = typeof turns === 'string' ? [{ role: 'user', text: turns }] : turns;
  const seen = new Set<number>();
  for (const t of list) {
    const s = featureText(t.text);
    const tag = t.role === 'agent' ? 'A' : '';
    for (let n = 1; n <= 3; n++) {
      for (let i = 0; i + n <= s.length; i++) seen.add(gramHash(tag + s.slice(i, i + n), tag ? n + 10 : n, bits));
    }
  }
  return Uint32Array.from(seen);
}

/** Weight of the naive-Bayes head in p ∝ p_LR · p_NB^w (5-fold CV on CSDS val, eval/assist/tune-intent.ts). */
export const NB_WEIGHT = 0.02;

export function modelIntent(clf: HashedClassifier, turns: Turn[] | string, nb?: HashedNB | null): IntentScore[] {
  const lr = clf.predict(intentText(turns));
  if (!nb || nb.seen === 0 || typeof turns === 'string') return lr;
  const lp = nb.logProbs(conversationFeatures(turns, nb.bits));
  const floor = Math.min(...lp);
  const scores = lr.map(({ label, p }) => {
    const k = nb.labels.indexOf(label);
    return { label, s: Math.log(Math.max(p, 1e-300)) + NB_WEIGHT * (k >= 0 ? lp[k]! : floor) };
  });
  const max = Math.max(...scores.map((x) => x.s));
  const z = scores.reduce((a, x) => a + Math.exp(x.s - max), 0);
  return scores.map(({ label, s }) => ({ label, p: Math.exp(s - max) / z })).sort((a, b) => b.p - a.p);
}
