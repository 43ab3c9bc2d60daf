/** The assistant: cold-start cue models until the organisation's own labelled data trains better ones. */
import { HashedClassifier, type SerializedClassifier, type TrainOptions } from './classifier.ts';
import { lexiconEmotion, lexiconPolarity, modelEmotion } from './emotion.ts';
import { conversationFeatures, intentText, lexiconIntent, modelIntent } from './intent.ts';
import { HashedNB, type SerializedNB } from './nb.ts';
import { buildReport, type Salience, salienceText, summaryLabel } from './report.ts';
import { type SerializedSuggest, SuggestIndex } from './suggest.ts';
import { DEFAULT_FEATURES, type FeatureOptions } from './text.ts';
import {
  EMOTIONS,
  type EmotionLabel,
  type EmotionResult,
  type IntentScore,
  type LearnInput,
  type Polarity,
  type Report,
  type SuggestContext,
  type Suggestion,
  type Turn,
} from './types.ts';

export const MODEL_FORMAT = 'kefu-assist';
export const MODEL_VERSION = 1;

/** The serialised model: plain JSON, safe to store in a file or a database row. */
export interface AssistModel {
  format: typeof MODEL_FORMAT;
  version: number;
  emotion?: SerializedClassifier;
  intent?: SerializedClassifier;
  /** Naive Bayes over whole conversations, combined with the intent head (absent in older models). */
  intentNB?: SerializedNB;
  polarity?: SerializedClassifier;
  /** Which dialogue lines are summary-worthy (trained from dialogues with reference summaries). */
  salience?: SerializedClassifier;
  suggest?: SerializedSuggest;
}

export interface AssistantOptions {
  /** Texts for which this returns false are never learned nor suggested (e.g. level-1 words). */
  screen?: (text: string) => boolean;
  /** Hashed feature space for models trained from scratch. */
  features?: FeatureOptions;
  /** A trained head replaces the cue model once it has learned this many examples. */
  minExamples?: number;
  train?: TrainOptions;
  maxSuggestEntries?: number;
  /** Give a newly trained intent head the cue model's verdict as features (default true). */
  intentCues?: boolean;
  /** Train a naive-Bayes head on whole conversations and combine it with the intent head (default true). */
  intentNB?: boolean;
}

export interface Assistant {
  emotion(text: string): EmotionResult;
  polarity(text: string): Polarity;
  intent(turns: Turn[] | string): IntentScore[];
  report(turns: Turn[]): Report;
  suggest(prefix: string, context?: SuggestContext): Suggestion[];
  learn(input: LearnInput): void;
  /**
   * Favour recall of some emotions (e.g. anger, for escalation): on held-out labelled messages
   * (a validation split), shift each label's score just enough to reach the target recall.
   * Returns the offsets applied.
   */
  calibrate(input: { emotions: { text: string; label: EmotionLabel }[]; recall: Partial<Record<EmotionLabel, number>> }): Partial<Record<EmotionLabel, number>>;
  /** The current model, serialisable with JSON.stringify. */
  save(): AssistModel;
  /** Which heads are trained (others use the cold-start cues). */
  readonly trained: { emotion: boolean; intent: boolean; polarity: boolean; summary: boolean };
  readonly suggestions: number;
}

const BATCH = 64;

function parseModel(model: AssistModel | string | undefined): AssistModel | undefined {
  if (model === undefined) return undefined;
  const m = typeof model === 'string' ? (JSON.parse(model) as AssistModel) : model;
  if (m.format !== MODEL_FORMAT) throw new Error(`not a ${MODEL_FORMAT} model`);
  if (m.version > MODEL_VERSION) throw new Error(`model version ${m.version} is newer than this engine (${MODEL_VERSION})`);
  return m;
}

/** Load an assistant from a saved model (object or JSON text), or the cold-start one. */
export function loadAssistant(model?: AssistModel | string, options: AssistantOptions = {}): Assistant {
  const m = parseModel(model);
  const feat = options.features ?? DEFAULT_FEATURES;
  const minExamples = options.minExamples ?? 200;
  let emotionClf = m?.emotion ? HashedClassifier.fromJSON(m.emotion) : null;
  let intentClf = m?.intent ? HashedClassifier.fromJSON(m.intent) : null;
  let intentNB = m?.intentNB ? HashedNB.fromJSON(m.intentNB) : null;
  let polarityClf = m?.polarity ? HashedClassifier.fromJSON(m.polarity) : null;
  let salienceClf = m?.salience ? HashedClassifier.fromJSON(m.salience) : null;
  const suggestOpts = { screen: options.screen, maxEntries: options.maxSuggestEntries };
  const index = m?.suggest ? SuggestIndex.fromJSON(m.suggest, suggestOpts) : new SuggestIndex(suggestOpts);

  const ready = (c: HashedClassifier | null): c is HashedClassifier => c !== null && c.seen >= minExamples;

  function fit(clf: HashedClassifier, rows: { text: string; label: string }[], balance: boolean, rate?: number): void {
    if (rows.length >= BATCH) {
      clf.train(rows, { balance, ...(rate ? { rate } : {}), ...options.train });
      // Drop the optimiser state after a batch: it doubles the head's memory, and one-at-a-time
      // learning afterwards restarts it with small steps.
      clf.freeze();
    }
    else for (const r of rows) clf.learnOne(r.text, r.label, 0.2);
  }

  const a: Assistant = {
    emotion(text) {
      return ready(emotionClf) ? modelEmotion(emotionClf, text) : lexiconEmotion(text);
    },
    polarity(text) {
      if (!ready(polarityClf)) return lexiconPolarity(text);
      const top = polarityClf.predict(text)[0]!;
      return { label: top.label as Polarity['label'], p: top.p };
    },
    intent(turns) {
      return ready(intentClf) ? modelIntent(intentClf, turns, intentNB) : lexiconIntent(turns);
    },
    report(turns) {
      let salience: Salience | undefined;
      if (ready(salienceClf)) {
        const clf = salienceClf;
        const k = clf.labels.indexOf('key');
        salience = (text, role) => clf.probs(salienceText(text, role))[k]!;
      }
      return buildReport(turns, { intents: a.intent(turns), emotionOf: (t) => a.emotion(t), salience });
    },
    suggest(prefix, context = {}) {
      const intent = context.intent ?? (context.turns && context.turns.length ? a.intent(context.turns)[0]?.label : undefined);
      return index.suggest(prefix, intent, context.limit ?? 3, context.now);
    },
    learn(input) {
      if (input.emotions?.length) {
        emotionClf ??= new HashedClassifier([...EMOTIONS], feat, 'emotion-cues');
        // A lower step size for emotion: chosen on a validation split of SMP2020-EWECT usual_eval
        // (eval/assist/tune-emotion.ts); short, noisy social-media texts overfit at 0.5.
        fit(emotionClf, input.emotions, true, 0.05);
      }
      if (input.intents?.length) {
        // The opening user turns also get features of their own ('intent-cues-early'): chosen by
        // 5-fold CV on CSDS val (eval/assist/tune-intent.ts).
        intentClf ??= new HashedClassifier([], feat, options.intentCues === false ? undefined : 'intent-cues-early');
        fit(intentClf, input.intents.map((r) => ({ text: intentText(r.turns), label: r.label })), false);
        if (options.intentNB !== false) {
          intentNB ??= new HashedNB(feat.bits);
          // Conversations only: the NB head reads whole dialogues (text-only rows train the LR head).
          for (const r of input.intents) if (typeof r.turns !== 'string') intentNB.add(conversationFeatures(r.turns, intentNB.bits), r.label);
        }
      }
      if (input.polarity?.length) {
        polarityClf ??= new HashedClassifier(['positive', 'negative'], feat);
        fit(polarityClf, input.polarity, false);
      }
      if (input.summaries?.length) {
        salienceClf ??= new HashedClassifier(['key', 'other'], feat);
        const rows: { text: string; label: string }[] = [];
        for (const d of input.summaries) {
          for (const t of d.turns) rows.push({ text: salienceText(t.text, t.role), label: summaryLabel(t.text, t.role, d.summary) });
        }
        fit(salienceClf, rows, false);
      }
      for (const s of input.sent ?? []) {
        if (typeof s === 'string') index.add(s);
        else index.add(s.text, s.intent, s.at);
      }
    },
    calibrate({ emotions, recall }) {
      if (!emotionClf) throw new Error('calibrate needs a trained emotion model');
      const out: Partial<Record<EmotionLabel, number>> = {};
      for (const [label, target] of Object.entries(recall) as [EmotionLabel, number][]) {
        out[label] = emotionClf.calibrateRecall(emotions, label, target);
      }
      return out;
    },
    save() {
      const out: AssistModel = { format: MODEL_FORMAT, version: MODEL_VERSION };
      if (emotionClf) out.emotion = emotionClf.toJSON();
      if (intentClf) out.intent = intentClf.toJSON();
      if (intentNB && intentNB.seen > 0) out.intentNB = intentNB.toJSON();
      if (polarityClf) out.polarity = polarityClf.toJSON();
      if (salienceClf) out.salience = salienceClf.toJSON();
      if (index.size) out.suggest = index.toJSON();
      return out;
    },
    get trained() {
      return { emotion: ready(emotionClf), intent: ready(intentClf), polarity: ready(polarityClf), summary: ready(salienceClf) };
    },
    get suggestions() {
      return index.size;
    },
  };
  return a;
}
