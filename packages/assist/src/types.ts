/** Public types of the assistant engine. */

export type Role = 'user' | 'agent';

export interface Turn {
  role: Role;
  text: string;
  /** Optional send time (ms since epoch); used for recency and follow-up timing. */
  at?: number;
}

export const EMOTIONS = ['calm', 'satisfied', 'anxious', 'dissatisfied', 'angry'] as const;
export type EmotionLabel = (typeof EMOTIONS)[number];

export const INTENTS = [
  'refund',
  'return_exchange',
  'logistics',
  'product_question',
  'payment_problem',
  'account_ban_appeal',
  'complaint',
  'other',
] as const;
/** Built-in intents; organisations may train their own labels, hence `string`. */
export type BuiltinIntent = (typeof INTENTS)[number];
export type IntentLabel = BuiltinIntent | (string & {});

export interface EmotionResult {
  label: EmotionLabel;
  /** 0–1: how strongly the label is expressed. */
  intensity: number;
  /** The cue words (or n-grams for a trained model) that drove the decision. */
  cues: string[];
}

export interface Polarity {
  label: 'positive' | 'negative';
  /** Probability of `label`, 0.5–1. */
  p: number;
}

export interface IntentScore {
  label: IntentLabel;
  p: number;
}

export interface Facts {
  orderNos: string[];
  /** Amounts in yuan, e.g. `{ value: 199.5, text: '199.5元' }`. */
  amounts: { value: number; text: string }[];
  products: string[];
  /** Masked phone numbers, e.g. `138****1234`. */
  phones: string[];
  /** Dates as written, with an ISO form when the text pins one down (`2024-05-01`, `--05-01`). */
  dates: { text: string; iso?: string }[];
}

export type EscalationReason = 'anger_rising' | 'threat' | 'repeated_question';

export interface Escalation {
  warn: boolean;
  reasons: EscalationReason[];
  /** Index (into the turns) of the user turn that triggered the first warning, if any. */
  turn?: number;
  /** Threat words seen (投诉, 12315, 曝光…). */
  threats: string[];
}

export interface EmotionPoint extends EmotionResult {
  /** Index of the user turn in the conversation. */
  turn: number;
}

export type Outcome = 'resolved' | 'pending' | 'escalated' | 'unresolved';

export interface Report {
  /** The predicted intent and a short Chinese topic line. */
  topic: { intent: IntentLabel; label: string };
  request: string;
  facts: Facts;
  actions: string[];
  outcome: Outcome;
  emotions: EmotionPoint[];
  escalation: Escalation;
  followUps: string[];
  summary: { overall: string; user: string; agent: string };
}

export interface Suggestion {
  /** The text to insert after the draft. */
  text: string;
  /** The whole remembered message or sentence the completion comes from. */
  full: string;
  score: number;
}

export interface SuggestContext {
  /** Conversation so far, used to predict the intent that conditions ranking. */
  turns?: Turn[];
  /** Or the intent itself, if the caller already has it. */
  intent?: IntentLabel;
  now?: number;
  limit?: number;
}

/** Material the assistant learns from. All fields optional; call as often as needed. */
export interface LearnInput {
  /** Messages the organisation's agents sent (predictive input learns from these). */
  sent?: (string | { text: string; intent?: IntentLabel; at?: number })[];
  /** Labelled user messages for the emotion model. */
  emotions?: { text: string; label: EmotionLabel }[];
  /** Labelled conversations (or single texts) for the intent model. */
  intents?: { turns: Turn[] | string; label: IntentLabel }[];
  /** Labelled texts for the polarity head. */
  polarity?: { text: string; label: 'positive' | 'negative' }[];
  /** Conversations with a reference summary: teaches which lines are summary-worthy. */
  summaries?: { turns: Turn[]; summary: string }[];
}
