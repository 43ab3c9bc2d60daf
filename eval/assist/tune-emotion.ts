/**
 * Development check of the emotion head on a validation split only (every fifth row of SMP2020
 * `usual_eval`; the test file is never read). `npx tsx eval/assist/tune-emotion.ts`
 */
import { sharedDataDir } from '../../bench/lib/report.ts';
import { loadAssistant } from '../../packages/assist/src/index.ts';
import { heldOut, smp } from './data.ts';

const dir = sharedDataDir();
const usual = heldOut(smp(dir, 'usual_eval_labeled.txt'));
const virus = [...smp(dir, 'virus_train.txt'), ...smp(dir, 'virus_eval_labeled.txt')];
const LABELS = ['calm', 'satisfied', 'anxious', 'dissatisfied', 'angry'];
function macro(pred: (t: string) => string) {
  let sum = 0;
  let angryRecall = 0;
  for (const l of LABELS) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const r of usual.test) {
      const p = pred(r.text);
      if (p === l && r.label === l) tp++;
      else if (p === l) fp++;
      else if (r.label === l) fn++;
    }
    const pr = tp / Math.max(1, tp + fp);
    const rc = tp / Math.max(1, tp + fn);
    sum += pr + rc ? (2 * pr * rc) / (pr + rc) : 0;
    if (l === 'angry') angryRecall = rc;
  }
  return { macro: (100 * sum) / LABELS.length, angry: 100 * angryRecall };
}
for (const usualWeight of [1, 2, 3]) {
  for (const epochs of [4, 8]) {
    const a = loadAssistant(undefined, { train: { epochs } });
    const rows = [...virus];
    for (let k = 0; k < usualWeight; k++) rows.push(...usual.train);
    a.learn({ emotions: rows as { text: string; label: 'calm' }[] });
    const before = macro((t) => a.emotion(t).label);
    const out: string[] = [];
    for (const target of [0.8, 0.85, 0.9]) {
      const b = loadAssistant(JSON.stringify(a.save()));
      b.calibrate({ emotions: usual.test as { text: string; label: 'calm' }[], recall: { angry: target } });
      const m = macro((t) => b.emotion(t).label);
      out.push(`calib ${target}: macro ${m.macro.toFixed(1)} angry ${m.angry.toFixed(1)}`);
    }
    console.log(`usual ×${usualWeight}, epochs ${epochs}: macro ${before.macro.toFixed(1)} angry ${before.angry.toFixed(1)} | ${out.join(' | ')}`);
  }
}

// Learning rate of the emotion head (usual ×2), with calibration targets.
for (const rate of [0.03, 0.05, 0.1, 0.2, 0.5]) {
  const a = loadAssistant(undefined, { train: { rate } });
  a.learn({ emotions: [...virus, ...usual.train, ...usual.train] as { text: string; label: 'calm' }[] });
  const base = macro((t) => a.emotion(t).label);
  const js = JSON.stringify(a.save());
  const out: string[] = [];
  for (const target of [0.85, 0.9]) {
    const b = loadAssistant(js);
    b.calibrate({ emotions: usual.test as { text: string; label: 'calm' }[], recall: { angry: target } });
    const m = macro((t) => b.emotion(t).label);
    out.push(`calib ${target}: macro ${m.macro.toFixed(1)} angry ${m.angry.toFixed(1)}`);
  }
  console.log(`rate ${rate}: macro ${base.macro.toFixed(1)} angry ${base.angry.toFixed(1)} | ${out.join(' | ')}`);
}
