/** Loaders for the public evaluation sets under `../shared/data` (never committed). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Turn } from '../../packages/assist/src/index.ts';

/** RFC 4180-ish CSV: quoted fields, doubled quotes, newlines inside quotes, BOM. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let q = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else q = false;
      } else field += c;
    } else if (c === '"' && field === '') q = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export interface Labelled<L = string> {
  text: string;
  label: L;
}

export function chnSentiCorp(dir: string, split: 'train' | 'dev'): Labelled<'positive' | 'negative'>[] {
  const lines = readFileSync(join(dir, 'eval/sentiment/chnsenticorp', `${split}.tsv`), 'utf8').split('\n').slice(1);
  const out: Labelled<'positive' | 'negative'>[] = [];
  for (const l of lines) {
    const tab = l.indexOf('\t');
    if (tab < 0) continue;
    out.push({ label: l.slice(0, tab).trim() === '1' ? 'positive' : 'negative', text: l.slice(tab + 1).trim() });
  }
  return out;
}

/** A deterministic 80/20 split by row index (every fifth row held out). */
export function heldOut<T>(rows: T[]): { train: T[]; test: T[] } {
  return { train: rows.filter((_, i) => i % 5 !== 0), test: rows.filter((_, i) => i % 5 === 0) };
}

export function reviewsCsv(dir: string, file: string): Labelled<'positive' | 'negative'>[] {
  const rows = parseCsv(readFileSync(join(dir, 'corpora', file), 'utf8'));
  const head = rows[0]!;
  const li = head.indexOf('label');
  const ri = head.indexOf('review');
  return rows
    .slice(1)
    .filter((r) => r.length > Math.max(li, ri) && r[ri]!.trim())
    .map((r) => ({ label: r[li] === '1' ? 'positive' : 'negative', text: r[ri]!.trim() }));
}

/** SMP2020-EWECT with its labels mapped to Kefu's emotions; surprise is left out. */
export const SMP_MAP: Record<string, string | undefined> = {
  neutral: 'calm',
  happy: 'satisfied',
  angry: 'angry',
  fear: 'anxious',
  sad: 'dissatisfied',
};

export function smp(dir: string, file: string): Labelled[] {
  const rows = JSON.parse(readFileSync(join(dir, 'eval/sentiment/smp2020_ewect', file), 'utf8')) as { content: string; label: string }[];
  return rows.filter((r) => SMP_MAP[r.label]).map((r) => ({ text: r.content, label: SMP_MAP[r.label]! }));
}

export interface CsdsDialogue {
  idx: number;
  turns: Turn[];
  refs: { overall: string; user: string; agent: string };
  topics: string[];
}

/** The aligned CSDS test set: 800 dialogues, 19 of which have no text (kept, scored as empty). */
export function csdsTest(dir: string): CsdsDialogue[] {
  const lines = readFileSync(join(dir, 'eval/csds/csds_test_aligned.jsonl'), 'utf8').split('\n').filter(Boolean);
  return lines.map((l) => {
    const r = JSON.parse(l) as {
      idx: number;
      final_ref: string;
      user_ref: string;
      agent_ref: string;
      utterances?: { speaker: string; text: string; text_full?: string }[];
      topics?: string[];
    };
    return {
      idx: r.idx,
      turns: (r.utterances ?? []).map((u) => ({ role: u.speaker === '用户' ? 'user' : 'agent', text: u.text_full ?? u.text }) as Turn),
      refs: { overall: r.final_ref, user: r.user_ref, agent: r.agent_ref },
      topics: r.topics ?? [],
    };
  });
}

export interface CsdsTopicRow {
  turns: Turn[];
  topic: string;
  summary: string;
  key: string;
  /** Every topic annotated in the dialogue (TODS `AllTopic`, in order, repeats kept). */
  allTopics: string[];
}

/** TODS-format CSDS (val/test): one row per question–answer segment, the whole dialogue each time. */
export function csdsTopics(dir: string, split: 'val' | 'test'): CsdsTopicRow[] {
  const rows = JSON.parse(readFileSync(join(dir, 'eval/csds', `${split}.json`), 'utf8')) as { Dialogue: string; Topic: string; QASumm: string; AllTopic: string }[];
  return rows.map((r) => ({
    key: r.Dialogue,
    topic: r.Topic,
    summary: r.QASumm,
    allTopics: r.AllTopic.split('，').filter(Boolean),
    turns: r.Dialogue.split('[SEP][CLS]').map((u) => {
      const m = /^(用户|客服)[:：]?(.*)$/s.exec(u.trim());
      return { role: m?.[1] === '用户' ? 'user' : 'agent', text: (m?.[2] ?? u).trim() } as Turn;
    }),
  }));
}

export interface CsdsDialogueTopics {
  key: string;
  turns: Turn[];
  /** The first segment's topic. */
  topic: string;
  /** Every topic of the dialogue (its segments' and `AllTopic`'s), first one first. */
  topics: string[];
  summary: string;
}

/** One row per dialogue: its first segment's topic, all its topics, and the concatenated segment summaries. */
export function csdsDialogues(rows: CsdsTopicRow[]): CsdsDialogueTopics[] {
  const by = new Map<string, CsdsDialogueTopics>();
  for (const r of rows) {
    const d = by.get(r.key);
    if (d) {
      d.summary += r.summary;
      if (!d.topics.includes(r.topic)) d.topics.push(r.topic);
    } else by.set(r.key, { key: r.key, turns: r.turns, topic: r.topic, topics: [...new Set([r.topic, ...r.allTopics])], summary: r.summary });
  }
  return [...by.values()];
}

export function coarseMap(dir: string): Record<string, string> {
  return (JSON.parse(readFileSync(join(dir, 'eval/csds/topic_coarse_map.json'), 'utf8')) as { map: Record<string, string> }).map;
}
