/**
 * Extra features a trained head may add to its character n-grams: the cold-start cue model's
 * verdicts, so a model trained on a few thousand examples still knows the hand-written cues.
 * Named, so a saved model records which it used.
 */
import { cueScores } from './emotion.ts';
import { lexiconIntent } from './intent.ts';

export type ExtraKind = 'emotion-cues' | 'intent-cues';

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
  'intent-cues': (text) => {
    const ranked = lexiconIntent(text);
    const out = [`int:${ranked[0]!.label}`];
    for (const r of ranked) if (r.p >= 0.2) out.push(`int:${r.label}:p`);
    return out;
  },
};
