/** Emotion of a user message: the cold-start cue model and the trained-model wrapper. */
import type { HashedClassifier } from './classifier.ts';
import { CueMatcher } from './cues.ts';
import { EMOTION_CUES, INTENSIFIERS, NEGATORS } from './lexicon.ts';
import { normalise } from './text.ts';
import type { EmotionLabel, EmotionResult, Polarity } from './types.ts';

type Scored = Exclude<EmotionLabel, 'calm'>;
const matcher = new CueMatcher<Scored>(EMOTION_CUES);
const POSITIVE_FLIP: Scored = 'dissatisfied';

export interface CueScores {
  scores: Record<Scored, number>;
  cues: Record<Scored, string[]>;
  /** Exclamation / question-mark runs and similar typography. */
  heat: number;
}

/** Cue scores for each non-calm emotion, with negation and intensifiers applied. */
export function cueScores(text: string): CueScores {
  const t = normalise(text);
  const scores: Record<Scored, number> = { angry: 0, dissatisfied: 0, anxious: 0, satisfied: 0 };
  const cues: Record<Scored, string[]> = { angry: [], dissatisfied: [], anxious: [], satisfied: [] };
  for (const h of matcher.scan(t)) {
    // 12315 inside a longer number (an order number) is not a cue.
    if (/^[0-9]+$/.test(h.cue) && (/[0-9]/.test(t[h.start - 1] ?? '') || /[0-9]/.test(t[h.end] ?? ''))) continue;
    let label = h.label;
    const before = t.slice(Math.max(0, h.start - 4), h.start);
    let cue = h.cue;
    if (label === 'satisfied') {
      const neg = NEGATORS.find((n) => before.endsWith(n));
      if (neg) {
        label = POSITIVE_FLIP;
        cue = neg + h.cue;
      }
    }
    let w = h.weight;
    for (const [word, m] of Object.entries(INTENSIFIERS)) {
      if (before.endsWith(word) || t.startsWith(word, h.end)) w *= m;
    }
    scores[label] += w;
    if (!cues[label].includes(cue)) cues[label].push(cue);
  }
  const bangs = (t.match(/!/g) ?? []).length;
  const qs = (t.match(/\?{2,}/g) ?? []).length;
  const heat = Math.min(1, 0.15 * Math.min(bangs, 4) + 0.25 * qs);
  return { scores, cues, heat };
}

/** Cold-start emotion from cues. */
export function lexiconEmotion(text: string): EmotionResult {
  const { scores, cues, heat } = cueScores(text);
  // Heat alone (!!!, ???) is agitation; it tips an already negative message towards anger.
  if (heat > 0 && scores.dissatisfied > 0) scores.angry += heat * 1.5;
  if (heat > 0 && scores.anxious > 0) scores.anxious += heat;
  let best: Scored | null = null;
  let bestScore = 0;
  // Ties go to the more severe label: the order here is the tie-break order.
  for (const l of ['angry', 'dissatisfied', 'anxious', 'satisfied'] as const) {
    if (scores[l] > bestScore + 1e-9) {
      best = l;
      bestScore = scores[l];
    }
  }
  if (!best || bestScore < 0.6) {
    return { label: 'calm', intensity: Math.round((0.3 + 0.3 * heat) * 100) / 100, cues: [] };
  }
  const intensity = Math.min(1, 1 - Math.exp(-0.7 * bestScore) + 0.2 * heat);
  return { label: best, intensity: Math.round(intensity * 100) / 100, cues: cues[best] };
}

/** Cold-start polarity: positive minus negative cue mass. */
export function lexiconPolarity(text: string): Polarity {
  const { scores, heat } = cueScores(text);
  const neg = scores.angry + scores.dissatisfied + 0.5 * scores.anxious + heat * 0.5;
  const pos = scores.satisfied;
  const margin = pos - neg;
  const p = 1 / (1 + Math.exp(-1.5 * margin));
  // With no cues either way, a customer message leans positive (most reviews are), barely.
  return p >= 0.5 ? { label: 'positive', p: Math.max(p, 0.5) } : { label: 'negative', p: 1 - p };
}

/** Trained emotion: the classifier's label and probability, cues from both models. */
export function modelEmotion(clf: HashedClassifier, text: string): EmotionResult {
  const ranked = clf.predict(text);
  const top = ranked[0]!;
  const label = top.label as EmotionLabel;
  const lex = cueScores(text);
  const lexCues = label === 'calm' ? [] : lex.cues[label as Scored];
  const cues = lexCues.length ? lexCues : label === 'calm' ? [] : clf.explain(text, label, 3);
  // Intensity: how sure the model is, lifted by cue strength and typography.
  const cueMass = label === 'calm' ? 0 : lex.scores[label as Scored];
  const intensity = label === 'calm' ? 0.3 * (1 - top.p) + 0.2 : Math.min(1, 0.5 * top.p + 0.5 * (1 - Math.exp(-0.7 * cueMass)) + 0.2 * lex.heat);
  return { label, intensity: Math.round(intensity * 100) / 100, cues };
}
