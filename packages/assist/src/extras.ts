/**
 * Extra features a trained head may add to its character n-grams: the cold-start cue model's
 * verdicts, so a model trained on a few thousand examples still knows the hand-written cues.
 * Named, so a saved model records which it used.
 */
import { cueScores } from './emotion.ts';
import { lexiconIntent } from './intent.ts';
import { featureText } from './text.ts';

export type ExtraKind = 'emotion-cues' | 'intent-cues' | 'intent-cues-early';

/** How many opening lines of an intent text (its first user turns) get features of their own. */
export const EARLY_LINES = 3;

function intentCues(text: string): string[] {
  const ranked = lexiconIntent(text);
  const out = [`int:${ranked[0]!.label}`];
  for (const r of ranked) if (r.p >= 0.2) out.push(`int:${r.label}:p`);
  return out;
}

export const EXTRAS: Record<ExtraKind, (text: string) => string[]> = {
  'emotion-cues': (text) => {
    const { scores, heat } = cueScores(text);
    const out: string[] = [];
    for (const [label, s] of Object.entries(scores)) {
      if (s > 0) out.push(`emo:${label}`);
      if (s >= 1.5) out.push(`emo:${label}:strong`);
      if (s >= 3) out.push(`emo:${label}:very`);
    }
    if (heat > 0) out.push('emo:heat');
    if (heat >= 0.5) out.push('emo:heat:high');
    return out;
  },
  'intent-cues': intentCues,
  // The cue verdicts plus the character bigrams of the opening lines (the first user turns, see
  // intentText) again as separate features: the purpose of a visit is usually stated first, so
  // the same words weigh more there. 5-fold CV on CSDS val (eval/assist/tune-intent.ts): bigrams
  // only 60.9 / 69.4 (first / any topic), 1–3-grams 61.4 / 69.1, 2–3-grams 60.2 / 68.9; bigrams
  // keep the intent head's training time at ×1.3 instead of ×2 for one-line texts.
  'intent-cues-early': (text) => {
    const out = intentCues(text);
    const lines = text.split('\n', EARLY_LINES);
    for (const line of lines) {
      const s = featureText(line);
      for (let i = 0; i + 2 <= s.length; i++) out.push(`e:${s.slice(i, i + 2)}`);
    }
    return out;
  },
};
