/** Intent of a conversation from its first user turns: cold-start cues or a trained model. */
import type { HashedClassifier } from './classifier.ts';
import { CueMatcher } from './cues.ts';
import { INTENT_CUES } from './lexicon.ts';
import { normalise } from './text.ts';
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

export function modelIntent(clf: HashedClassifier, turns: Turn[] | string): IntentScore[] {
  return clf.predict(intentText(turns));
}
