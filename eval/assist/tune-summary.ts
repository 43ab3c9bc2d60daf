/**
 * Development check of the summary rules on CSDS **val** (never test): scores a small grid of
 * options and prints the best. `npx tsx eval/assist/tune-summary.ts`
 */
import { sharedDataDir } from '../../bench/lib/report.ts';
import { scoreCorpus } from '../../packages/assist/src/index.ts';
import { SUMMARY_DEFAULTS, type SummaryOptions, summarise } from '../../packages/assist/src/report.ts';
import { csdsDialogues, csdsTopics } from './data.ts';

const dir = sharedDataDir();
const dialogues = csdsDialogues(csdsTopics(dir, 'val'));
const refs = dialogues.map((d) => d.summary);
const results: { o: SummaryOptions; r1: number; rl: number; len: number }[] = [];
for (const maxPairs of [3, 4, 5, 6, 9]) {
  for (const chars of [20, 26, 32, 40]) {
    for (const statements of [true, false]) {
      const o = { ...SUMMARY_DEFAULTS, maxPairs, userChars: chars, agentChars: chars, statements };
      const preds = dialogues.map((d) => summarise(d.turns, o).overall);
      const s = scoreCorpus(preds, refs);
      results.push({ o, r1: s.rouge1, rl: s.rougeL, len: preds.reduce((a, p) => a + p.length, 0) / preds.length });
    }
  }
}
results.sort((a, b) => b.r1 - a.r1);
for (const r of results.slice(0, 8)) console.log(JSON.stringify(r.o), 'R1', r.r1.toFixed(2), 'RL', r.rl.toFixed(2), 'len', r.len.toFixed(0));
const cur = scoreCorpus(dialogues.map((d) => summarise(d.turns).overall), refs);
console.log('current defaults', JSON.stringify(SUMMARY_DEFAULTS), 'R1', cur.rouge1.toFixed(2), 'RL', cur.rougeL.toFixed(2));

// Trained salience (which lines are summary-worthy), 5-fold cross-validation on val.
import { loadAssistant } from '../../packages/assist/src/index.ts';
{
  const preds: string[] = new Array(dialogues.length);
  for (let fold = 0; fold < 5; fold++) {
    const a = loadAssistant();
    a.learn({ summaries: dialogues.filter((_, i) => i % 5 !== fold).map((d) => ({ turns: d.turns, summary: d.summary })) });
    dialogues.forEach((d, i) => {
      if (i % 5 === fold) preds[i] = a.report(d.turns).summary.overall;
    });
  }
  const s = scoreCorpus(preds, refs);
  console.log('trained salience, 5-fold CV on val: R1', s.rouge1.toFixed(2), 'RL', s.rougeL.toFixed(2));
}
