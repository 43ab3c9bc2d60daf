/**
 * `npm run eval:assist [-- --data DIR]` — quality of the assistant on public Chinese data, for the
 * shipped cold-start model and for the same models trained on each set's training split.
 * Writes EVALUATION.md at the repository root. Test splits are only ever predicted on.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { machineLine, repoRoot, sharedDataDir } from '../../bench/lib/report.ts';
import { type Assistant, type CorpusScores, loadAssistant, scoreCorpus } from '../../packages/assist/src/index.ts';
import { SUMMARY_DEFAULTS } from '../../packages/assist/src/report.ts';
import { chnSentiCorp, coarseMap, csdsDialogues, csdsTest, csdsTopics, heldOut, type Labelled, reviewsCsv, smp } from './data.ts';

const dir = sharedDataDir();
const out: string[] = [];
const log = (s = '') => {
  out.push(s);
  console.log(s);
};
const f2 = (x: number) => x.toFixed(2);
const f1 = (x: number) => x.toFixed(1);
const pct = (a: number, n: number) => (n ? (100 * a) / n : 0);
function timed<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const r = fn();
  return [r, (performance.now() - t) / 1000];
}

// ---------------------------------------------------------------------------------------------
// 1. The scorer, validated against the published CSDS table.
// ---------------------------------------------------------------------------------------------
const PUBLISHED: Record<string, { name: string; final: [number, number, number, number]; user?: number; agent?: number }> = {
  longest: { name: 'Longest', final: [30.02, 15.52, 28.0, 11.19], user: 35.42, agent: 25.94 },
  lex: { name: 'LexPageRank', final: [36.32, 19.43, 34.67, 13.48] },
  summarunner: { name: 'SummaRuNNer', final: [44.91, 27.99, 42.97, 21.6], user: 43.9, agent: 40.4 },
  bert_ext: { name: 'BERTExt', final: [43.55, 27.51, 41.75, 21.59] },
  fast_rl: { name: 'Fast-RL', final: [57.95, 41.39, 55.99, 33.04], user: 57.33, agent: 53.07 },
};
const lines = (p: string) => readFileSync(p, 'utf8').replace(/\n$/, '').split('\n').map((l) => l.trim().replace(/<q>/g, ''));
const resDir = join(dir, 'eval/csds/results');
const baselines: Record<string, Record<'final' | 'user' | 'agent', CorpusScores>> = {};
for (const sys of Object.keys(PUBLISHED)) {
  const r = {} as Record<'final' | 'user' | 'agent', CorpusScores>;
  for (const side of ['final', 'user', 'agent'] as const) {
    r[side] = scoreCorpus(lines(join(resDir, side, `${sys}_true_preds.txt`)), lines(join(resDir, side, 'gold_refs.txt')));
  }
  baselines[sys] = r;
}
let maxDiff = 0;
const checks: string[] = [];
for (const [sys, p] of Object.entries(PUBLISHED)) {
  const m = baselines[sys]!;
  const got = [m.final.rouge1, m.final.rouge2, m.final.rougeL, m.final.bleu];
  const cells: string[] = [];
  got.forEach((g, i) => {
    maxDiff = Math.max(maxDiff, Math.abs(g - p.final[i]!));
    cells.push(`${f2(g)} (${f2(p.final[i]!)})`);
  });
  for (const side of ['user', 'agent'] as const) {
    const pub = p[side];
    const g = m[side].rouge1;
    if (pub !== undefined) maxDiff = Math.max(maxDiff, Math.abs(g - pub));
    cells.push(pub !== undefined ? `${f2(g)} (${f2(pub)})` : `${f2(g)} (—)`);
  }
  checks.push(`| ${p.name} | ${cells.join(' | ')} |`);
}

// ---------------------------------------------------------------------------------------------
// 2. Summaries on CSDS test.
// ---------------------------------------------------------------------------------------------
const test = csdsTest(dir);
const cold = loadAssistant();
const [reports, reportSecs] = timed(() => test.map((d) => (d.turns.length ? cold.report(d.turns) : null)));
const sums = reports.map((r) => r?.summary ?? { overall: '', user: '', agent: '' });
const ours = {
  final: scoreCorpus(sums.map((s) => s.overall), test.map((d) => d.refs.overall)),
  user: scoreCorpus(sums.map((s) => s.user), test.map((d) => d.refs.user)),
  agent: scoreCorpus(sums.map((s) => s.agent), test.map((d) => d.refs.agent)),
};
// Trained: the same rules plus a salience head (which lines are summary-worthy) learned from the
// CSDS val dialogues and their reference summaries.
const valForSumm = csdsDialogues(csdsTopics(dir, 'val'));
const [summModel, summSecs] = trainedOn({ summaries: valForSumm.map((d) => ({ turns: d.turns, summary: d.summary })) });
const tsums = test.map((d) => (d.turns.length ? summModel.report(d.turns).summary : { overall: '', user: '', agent: '' }));
const oursTrained = {
  final: scoreCorpus(tsums.map((s) => s.overall), test.map((d) => d.refs.overall)),
  user: scoreCorpus(tsums.map((s) => s.user), test.map((d) => d.refs.user)),
  agent: scoreCorpus(tsums.map((s) => s.agent), test.map((d) => d.refs.agent)),
};
const row = (name: string, s: Record<'final' | 'user' | 'agent', CorpusScores>) =>
  `| ${name} | ${(['final', 'user', 'agent'] as const).map((k) => `${f2(s[k].rouge1)} / ${f2(s[k].rouge2)} / ${f2(s[k].rougeL)} / ${f2(s[k].bleu)}`).join(' | ')} |`;

// ---------------------------------------------------------------------------------------------
// 3–5. Classifiers: cold start vs trained.
// ---------------------------------------------------------------------------------------------
interface Cls {
  acc: number;
  n: number;
}
function accuracy(rows: Labelled[], predict: (t: string) => string): Cls {
  let ok = 0;
  for (const r of rows) if (predict(r.text) === r.label) ok++;
  return { acc: pct(ok, rows.length), n: rows.length };
}

/** Train, then save and load: what is scored is the model as stored (8-bit weights). */
function trainedOn(input: Parameters<Assistant['learn']>[0]): [Assistant, number] {
  const a = loadAssistant();
  const [, secs] = timed(() => a.learn(input));
  return [loadAssistant(JSON.stringify(a.save())), secs];
}

// Polarity.
const csc = { train: chnSentiCorp(dir, 'train'), dev: chnSentiCorp(dir, 'dev') };
const shop = heldOut(reviewsCsv(dir, 'online_shopping_10_cats.csv'));
const waimai = heldOut(reviewsCsv(dir, 'waimai_10k.csv'));
const polarityRows: string[] = [];
let polarityHead = { cold: '', trained: '' };
const trainTimes: string[] = [];
for (const [name, set, pub] of [
  ['ChnSentiCorp dev (train: train.tsv)', csc.train, 'NB 84.8, BERT 94.6, ERNIE 95.2', csc.dev],
  ['online_shopping_10_cats (held-out every 5th row)', shop.train, 'NB 90.7', shop.test],
  ['waimai_10k (held-out every 5th row)', waimai.train, 'NB 88.0', waimai.test],
] as const) {
  const evalRows = (name.startsWith('Chn') ? csc.dev : name.startsWith('online') ? shop.test : waimai.test) as Labelled[];
  void pub;
  const c = accuracy(evalRows, (t) => cold.polarity(t).label);
  const [a, secs] = trainedOn({ polarity: set as Labelled<'positive' | 'negative'>[] });
  const t = accuracy(evalRows, (x) => a.polarity(x).label);
  if (name.startsWith('Chn')) polarityHead = { cold: f1(c.acc), trained: f1(t.acc) };
  polarityRows.push(`| ${name} | ${evalRows.length} | ${f1(c.acc)} | ${f1(t.acc)} | ${pub} |`);
  trainTimes.push(`| polarity, ${name.split(' ')[0]} | ${set.length} | ${f2(secs)} s |`);
}

// Emotion (SMP2020-EWECT usual test; trained on the sets' non-test files).
const LABELS = ['calm', 'satisfied', 'anxious', 'dissatisfied', 'angry'];
function f1Report(rows: Labelled[], predict: (t: string) => string) {
  const tp: Record<string, number> = {};
  const fp: Record<string, number> = {};
  const fn: Record<string, number> = {};
  for (const l of LABELS) tp[l] = fp[l] = fn[l] = 0;
  let ok = 0;
  for (const r of rows) {
    const p = predict(r.text);
    if (p === r.label) {
      tp[p]!++;
      ok++;
    } else {
      if (p in fp) fp[p]!++;
      fn[r.label]!++;
    }
  }
  const per: Record<string, { f1: number; recall: number }> = {};
  for (const l of LABELS) {
    const prec = tp[l]! / Math.max(1, tp[l]! + fp[l]!);
    const rec = tp[l]! / Math.max(1, tp[l]! + fn[l]!);
    per[l] = { f1: prec + rec ? (200 * prec * rec) / (prec + rec) : 0, recall: 100 * rec };
  }
  const macro = LABELS.reduce((s, l) => s + per[l]!.f1, 0) / LABELS.length;
  return { macro, acc: pct(ok, rows.length), per };
}
const smpTest = smp(dir, 'usual_test_labeled.txt');
// usual_eval is split: four fifths train, one fifth (every fifth row) is the validation split the
// anger-recall calibration is chosen on.
const usualEval = heldOut(smp(dir, 'usual_eval_labeled.txt'));
// In-domain rows count twice, the head's step size is 0.05 and the calibration target 0.85: all
// chosen on the validation split (eval/assist/tune-emotion.ts: best validation macro-F1 with
// validation angry recall ≥ 0.85).
const smpTrain = [...usualEval.train, ...usualEval.train, ...smp(dir, 'virus_train.txt'), ...smp(dir, 'virus_eval_labeled.txt')];
const emoCold = f1Report(smpTest, (t) => cold.emotion(t).label);
const [emoModel, emoSecs] = trainedOn({ emotions: smpTrain as { text: string; label: 'calm' }[] });
const emoTrained = f1Report(smpTest, (t) => emoModel.emotion(t).label);
const offsets = emoModel.calibrate({ emotions: usualEval.test as { text: string; label: 'calm' }[], recall: { angry: 0.85 } });
const emoCalibrated = f1Report(smpTest, (t) => emoModel.emotion(t).label);
trainTimes.push(`| emotion, SMP2020-EWECT usual eval (4/5, ×2) + virus train/eval | ${smpTrain.length} | ${f2(emoSecs)} s |`);

// Intent (CSDS coarse topics; one row per dialogue, labelled with its first segment's topic).
const cmap = coarseMap(dir);
const COLD_TO_COARSE: Record<string, string> = {
  refund: 'refund',
  return_exchange: 'return/after-sales',
  logistics: 'logistics',
  product_question: 'product-info',
  payment_problem: 'price/promo',
  account_ban_appeal: 'account',
  complaint: 'contact/escalation',
  other: 'other',
};
const valD = csdsDialogues(csdsTopics(dir, 'val')).filter((d) => cmap[d.topic]);
const testRows = csdsTopics(dir, 'test').filter((d) => cmap[d.topic]);
const testD = csdsDialogues(testRows).filter((d) => cmap[d.topic]);
const counts = new Map<string, number>();
for (const d of valD) counts.set(cmap[d.topic]!, (counts.get(cmap[d.topic]!) ?? 0) + 1);
const majority = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
const intentAcc = (rows: { turns: Parameters<Assistant['intent']>[0]; topic: string }[], predict: (r: (typeof rows)[number]) => string) =>
  pct(rows.filter((r) => predict(r) === cmap[r.topic]).length, rows.length);
// The unit of SOURCES.md's figures ("always logistics" 31.6 %, NB 60.8–63.1 %): one row per test
// dialogue with text (781), a prediction counting when it is the coarse class of any of the
// dialogue's annotated topics (31.6 % of test dialogues have a logistics topic).
const intentAny = (rows: { turns: Parameters<Assistant['intent']>[0]; topics: string[] }[], predict: (r: (typeof rows)[number]) => string) =>
  pct(rows.filter((r) => r.topics.some((t) => cmap[t] === predict(r))).length, rows.length);
// Training rows: each val dialogue with its first topic, plus each val segment's reference
// summary with that segment's topic, counted twice (the weighting chosen by 5-fold CV on val in
// eval/assist/tune-intent.ts: 57.5 % vs 54.8 % without).
const valSegs = csdsTopics(dir, 'val').filter((r) => cmap[r.topic]).map((r) => ({ turns: r.summary, label: cmap[r.topic]! }));
const [intModel, intSecs] = trainedOn({ intents: [...valD.map((d) => ({ turns: d.turns, label: cmap[d.topic]! })), ...valSegs, ...valSegs] });
trainTimes.push(`| intent, CSDS val dialogues + segment summaries ×2 | ${valD.length + 2 * valSegs.length} | ${f2(intSecs)} s |`);
trainTimes.push(`| summary salience, CSDS val dialogues (all their lines) | ${valForSumm.length} | ${f2(summSecs)} s |`);
const coldIntent = (r: { turns: Parameters<Assistant['intent']>[0] }) => COLD_TO_COARSE[cold.intent(r.turns)[0]!.label]!;
const trainedIntent = (r: { turns: Parameters<Assistant['intent']>[0] }) => intModel.intent(r.turns)[0]!.label;
const intent = {
  majority: intentAcc(testD, () => majority),
  cold: intentAcc(testD, coldIntent),
  trained: intentAcc(testD, trainedIntent),
  majorityAny: intentAny(testD, () => majority),
  coldAny: intentAny(testD, coldIntent),
  trainedAny: intentAny(testD, trainedIntent),
  majorityRows: intentAcc(testRows, () => majority),
  trainedRows: intentAcc(testRows, trainedIntent),
  coldRows: intentAcc(testRows, coldIntent),
  // Which coarse classes the cold-start label set cannot express at all.
  unreachable: pct(testD.filter((d) => !Object.values(COLD_TO_COARSE).includes(cmap[d.topic]!)).length, testD.length),
};

// How the intent head was chosen (5-fold CV on CSDS val only, eval/assist/tune-intent.ts and
// eval/assist/exp-intent.ts) and every test run made of it.
const INTENT_HISTORY = [
  'Development (5-fold cross-validation on CSDS **val** by dialogue; first topic / any topic): the previous head',
  '(LR, 10 user + 4 agent turns, cues, summaries ×2) 57.0 / 63.8; without the summaries 54.8 / 61.8; trained on every',
  'segment row instead of the first topic 55.5 / 62.7; 20 user + 10 agent turns 55.1 / 64.0; 3 user turns 56.6 / 61.5;',
  'the first 3 user turns\' n-grams as extra features 58.3 / 65.0 (first 2: 57.7 / 64.6, first 4: 57.7 / 64.4);',
  '+ jieba word unigrams 58.8 / 65.4 (not adopted: within noise, a native dependency); three bagged seeds 58.3 / 65.9;',
  'fine topics (153 in val) summed to coarse 44.1 / 50.8; naive Bayes alone on every turn 54.1 / 62.9 (10 user + 4 agent turns:',
  '51.2 / 58.7); LR + NB(every turn) at NB weight 0.01 / 0.02 / 0.04: 60.5 / 67.6, 60.6 / 68.2, 59.5 / 68.1.',
  'The shipped engine (opening-turn bigrams + NB, weight 0.02) scores **60.9 / 69.4** in the same cross-validation',
  '(opening-turn 1–3-grams instead: 61.4 / 69.1, 2–3-grams 60.2 / 68.9; bigrams were kept because they cost a third as',
  'many extra features: the 100k-message intent training bench took 59.4 s against its 60 s bar with 1–3-grams;',
  'with 1–3-grams and without NB 60.2 / 66.7; NB with a plain LR head, no cues nor opening features, 58.8 / 67.7). One CV standard error',
  'is about 1.7 points.',
  '',
  'Every test run of an intent model: the previous head, by the previous engineer (61.5 first topic; 52.6 per segment',
  'row) and, after the new head had been chosen, once more by us for a like-for-like comparison: **66.8** any topic,',
  '61.5 first topic. A plain naive Bayes (every turn, character 1–3-grams, trained on val dialogues), run once to check',
  'the unit of the published NB figure: 66.3 any / 58.8 first / 52.7 per row (it brackets 60.8–63.1, so the NB figure',
  'alone cannot pin the unit; the majority figure does, exactly). The first version of the new head (opening-turn',
  '1–3-grams) once: 70.9 any / 64.9 first / 56.2 per row. The shipped head (opening-turn bigrams, chosen on CV and',
  'training cost as above, before its test run): the table above (identical on each regeneration of this file;',
  'training is deterministic).',
  '',
  'The coarse map (`topic_coarse_map.json`, "review before relying on it") is used as given so the figures stay comparable',
  'with the published ones. Seen in review, left alone: payment topics (支付异常, 支付方式, 在线支付, 货到付款, 分期付款,',
  '支付到账时间) go to "other" (the map has no payment class, unlike Kefu\'s intents); 是什么颜色, 生产日期 and 正品保障',
  'to "other" rather than product-info; 发错货 and 填写返件运单号 to "other" rather than return/after-sales; the three',
  'dispute-form topics (纠纷单…) to "other" rather than contact/escalation; 促销形式 and 预约抢购 to "other" rather than',
  'price/promo; 评价晒单返券和赠品 to product-info.',
].join('\n');

// ---------------------------------------------------------------------------------------------
// Write EVALUATION.md
// ---------------------------------------------------------------------------------------------
const lex = baselines.lex!;
log('# Evaluation — AI assistant (`packages/assist`)');
log();
log('Written by `npm run eval:assist` (reads `../shared/data`, or `--data DIR`). Test splits are only predicted on; all');
log('training uses the training (or validation) files named in each table; the summary rules were chosen on CSDS **val**');
log(`(\`eval/assist/tune-summary.ts\`, defaults ${JSON.stringify(SUMMARY_DEFAULTS)}).`);
log(`Cold start = the model that ships (cue lexicons and rules written for Kefu). Trained = the same engine after \`learn()\``);
log('on the named training data (hashed character 1–3-gram logistic regression with the cue model\'s verdicts as extra');
log('features, 2^18 buckets, 4 AdaGrad epochs; the emotion head class-balanced), scored as stored: after `save()` → `loadAssistant()`');
log('(8-bit weights).');
log();
log('## Against the targets (issue 7)');
log();
log('| task | data | cold start | trained | target | met (trained) |');
log('|---|---|---|---|---|---|');
log(`| summary R1 overall / user / agent | CSDS test | ${f2(ours.final.rouge1)} / ${f2(ours.user.rouge1)} / ${f2(ours.agent.rouge1)} | ${f2(oursTrained.final.rouge1)} / ${f2(oursTrained.user.rouge1)} / ${f2(oursTrained.agent.rouge1)} | ≥ 40 overall; user > ${f2(lex.user.rouge1)}, agent > ${f2(lex.agent.rouge1)} (LexPageRank) | ${oursTrained.final.rouge1 >= 40 && oursTrained.user.rouge1 > lex.user.rouge1 && oursTrained.agent.rouge1 > lex.agent.rouge1 ? 'yes' : 'no'} |`);
log(`| polarity accuracy | ChnSentiCorp dev | ${polarityHead.cold} | ${polarityHead.trained} | ≥ 90 | ${Number(polarityHead.trained) >= 90 ? 'yes' : 'no'} |`);
log(`| emotion macro-F1 / angry recall | SMP2020-EWECT usual test | ${f2(emoCold.macro)} / ${f1(emoCold.per.angry!.recall)} | ${f2(emoTrained.macro)} / ${f1(emoTrained.per.angry!.recall)} uncalibrated; ${f2(emoCalibrated.macro)} / ${f1(emoCalibrated.per.angry!.recall)} anger-calibrated | ≥ 60 / ≥ 80 | ${[emoTrained, emoCalibrated].some((e) => e.macro >= 60 && e.per.angry!.recall >= 80) ? 'yes' : 'no — each bar is met by one operating point, not both by either'} |`);
log(`| intent accuracy (coarse) | CSDS test, per dialogue, any of its topics (the published unit) | ${f1(intent.coldAny)} | ${f1(intent.trainedAny)} | ≥ 70 | ${intent.trainedAny >= 70 ? 'yes' : 'no'} |`);
log(`| intent accuracy (coarse), stricter | CSDS test, per dialogue, its first topic | ${f1(intent.cold)} | ${f1(intent.trained)} | (≥ 70) | ${intent.trained >= 70 ? 'yes' : 'no'} |`);
log();
log('## 1. Scorer validation (CSDS released outputs)');
log();
log('Our scorer (`packages/assist/src/scorer.ts`: characters as tokens, punctuation kept, per-document ROUGE F1 averaged,');
log('summary-level ROUGE-L with sentences split after every 。, corpus BLEU-4) on the baselines\' released outputs in');
log('`csds/results/`. Each cell: measured (published).');
log();
log('| system | overall R1 | overall R2 | overall RL | overall BLEU | user R1 | agent R1 |');
log('|---|---|---|---|---|---|---|');
for (const c of checks) log(c);
log();
log(`Largest difference from a published figure: **${maxDiff.toFixed(3)}** (bar: ≤ 0.05) — ${maxDiff <= 0.05 ? 'reproduced' : 'NOT reproduced'}.`);
log();
log('## 2. Incident-report summaries — CSDS test (800 dialogues; the 19 without text score 0)');
log();
log('R1 / R2 / RL / BLEU.');
log();
log('| system | overall | user | agent |');
log('|---|---|---|---|');
for (const sys of ['longest', 'lex', 'summarunner', 'bert_ext', 'fast_rl']) log(row(`${PUBLISHED[sys]!.name} (released output, our scorer)`, baselines[sys]!));
log(row('**Kefu cold start (rules, offline)**', ours));
log(row('**Kefu trained (rules + salience head learned on CSDS val)**', oursTrained));
log();
for (const [name, o] of [['Cold start', ours], ['Trained', oursTrained]] as const) {
  log(`${name} — targets: overall R1 ≥ 40 → **${f2(o.final.rouge1)}** ${o.final.rouge1 >= 40 ? '✓' : '✗'}; above LexPageRank on user (${f2(lex.user.rouge1)}) → **${f2(o.user.rouge1)}** ${o.user.rouge1 > lex.user.rouge1 ? '✓' : '✗'} and agent (${f2(lex.agent.rouge1)}) → **${f2(o.agent.rouge1)}** ${o.agent.rouge1 > lex.agent.rouge1 ? '✓' : '✗'}.`);
  log();
}
log(`Cold-start reports for all 781 dialogues took ${f2(reportSecs)} s in total. The salience head labels a val line "key" when`);
log('half of its character bigrams occur in the reference summary; each side\'s most salient line is used and the most salient');
log('exchanges kept (5-fold cross-validation on val: R1 44.3 vs 42.6 for the rules, `eval/assist/tune-summary.ts`).');
log();
log('## 3. Polarity accuracy (%)');
log();
log('| data | n | cold start | trained | published |');
log('|---|---|---|---|---|');
for (const r of polarityRows) log(r);
log();
log('Target: ≥ 90 on ChnSentiCorp dev (trained).');
log();
log('## 4. Emotion — SMP2020-EWECT usual test (surprise left out)');
log();
log('Mapping: neutral→calm, happy→satisfied, angry→angry, fear→anxious, sad→dissatisfied. Trained on `usual_eval` +');
log('`virus_train` + `virus_eval` (there is no usual train file in the data; none of these is the test file), holding out');
log('every fifth row of `usual_eval` as the validation split on which the anger calibration (`assistant.calibrate`, target');
log('recall 0.85 on validation) is chosen — anger feeds the escalation warning, so its recall is favoured. The in-domain');
log('`usual_eval` rows are counted twice and the emotion head trains with step size 0.05; that weighting, the step size and');
log('the 0.85 target were picked on the validation split (`eval/assist/tune-emotion.ts`). A first test run with step 0.5');
log('and target 0.9 (chosen the same way with fewer options tried) gave macro-F1 61.19 / angry recall 74.1 uncalibrated and');
log('59.67 / 88.5 calibrated.');
log();
log('| model | n | macro-F1 | accuracy | angry recall | F1 calm / satisfied / anxious / dissatisfied / angry |');
log('|---|---|---|---|---|---|');
for (const [name, r] of [['cold start', emoCold], ['trained', emoTrained], [`trained + anger calibration (offset ${f2(offsets.angry ?? 0)})`, emoCalibrated]] as const) {
  log(`| ${name} | ${smpTest.length} | ${f2(r.macro)} | ${f1(r.acc)} | ${f1(r.per.angry!.recall)} | ${LABELS.map((l) => f1(r.per[l]!.f1)).join(' / ')} |`);
}
log();
log('Published: single BERT macro-F1 73.9 (six classes). Targets: macro-F1 ≥ 60, angry recall ≥ 80 %.');
log();
log('## 5. Intent — CSDS coarse topics (`csds/topic_coarse_map.json`)');
log();
log(`**Unit.** SOURCES.md's reference figures ("always logistics" 31.6 %, naive Bayes trained on val 60.8–63.1 %) are per`);
log(`test dialogue (the ${testD.length} with text), a prediction counting as correct when it is the coarse class of **any** of the`);
log(`dialogue's annotated topics (TODS \`AllTopic\`; 1–6 per dialogue): exactly ${f1(intent.majorityAny)} % of test dialogues have a logistics`);
log('topic, while logistics is the first topic of 22.7 % of dialogues and 24.1 % of segment rows. That unit is the headline');
log('here; the stricter "first topic" score (the first segment\'s topic only) and the per-segment-row score are shown too.');
log();
log(`Trained model: the logistic-regression head reads the first 10 user and 4 agent turns (character 1–3-grams, the cue`);
log(`model\'s verdicts, and the first 3 user turns\' character bigrams again as features of their own); a multinomial naive-Bayes head`);
log(`reads every turn (agent n-grams apart from the user\'s) and is combined as p ∝ p_LR · p_NB^0.02. Trained on the`);
log(`${valD.length} val dialogues (first topic) plus the val segments\' reference summaries (×2, LR only).`);
log('Cold start maps its built-in labels onto the coarse set (refund→refund, return_exchange→return/after-sales, logistics,');
log('product_question→product-info, payment_problem→price/promo, account_ban_appeal→account, complaint→contact/escalation,');
log(`other); ${f1(intent.unreachable)} % of test dialogues are in classes it cannot name (invoice, order-change/cancel).`);
log();
log(`| model | per dialogue, any topic (n = ${testD.length}) | per dialogue, first topic | per segment row (n = ${testRows.length}) |`);
log('|---|---|---|---|');
log(`| majority class of val (${majority}) | ${f1(intent.majorityAny)} | ${f1(intent.majority)} | ${f1(intent.majorityRows)} |`);
log(`| cold start | ${f1(intent.coldAny)} | ${f1(intent.cold)} | ${f1(intent.coldRows)} |`);
log(`| trained on val | ${f1(intent.trainedAny)} | ${f1(intent.trained)} | ${f1(intent.trainedRows)} |`);
log();
log('Published (SOURCES.md, same unit): always logistics 31.6; naive Bayes trained on val 60.8–63.1. Target ≥ 70.');
log();
log(INTENT_HISTORY);
log();
log('## Training time (one core, this run)');
log();
log('| model | examples | time |');
log('|---|---|---|');
for (const t of trainTimes) log(t);
log();
log(`_Run ${machineLine()}._`);

writeFileSync(resolve(repoRoot, 'EVALUATION.md'), out.join('\n') + '\n');
