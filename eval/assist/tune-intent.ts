/**
 * Development check of the intent model on CSDS **val** only: 5-fold cross-validation (folds by
 * dialogue) of the shipped engine's intent head under a few settings. Two scores per setting:
 * "first" = the predicted coarse intent equals the first segment's topic; "any" = it is one of the
 * dialogue's annotated topics (the unit of SOURCES.md's "always logistics 31.6 %" and NB 60.8–63.1 %).
 * `npx tsx eval/assist/tune-intent.ts`
 */
import { sharedDataDir } from '../../bench/lib/report.ts';
import { loadAssistant, type AssistantOptions, type Turn } from '../../packages/assist/src/index.ts';
import { coarseMap, csdsDialogues, csdsTopics } from './data.ts';

const dir = sharedDataDir();
const cmap = coarseMap(dir);
const segs = csdsTopics(dir, 'val').filter((r) => cmap[r.topic]);
const val = csdsDialogues(segs).filter((d) => cmap[d.topic]);

function cv(name: string, opts: AssistantOptions, summaries = 2): void {
  let first = 0;
  let any = 0;
  for (let fold = 0; fold < 5; fold++) {
    const tr = val.filter((_, i) => i % 5 !== fold);
    const te = val.filter((_, i) => i % 5 === fold);
    const trKeys = new Set(tr.map((d) => d.key));
    const extra = segs.filter((r) => trKeys.has(r.key)).map((r) => ({ turns: r.summary, label: cmap[r.topic]! }));
    const rows: { turns: Turn[] | string; label: string }[] = tr.map((d) => ({ turns: d.turns, label: cmap[d.topic]! }));
    for (let k = 0; k < summaries; k++) rows.push(...extra);
    const a = loadAssistant(undefined, opts);
    a.learn({ intents: rows });
    for (const d of te) {
      const p = a.intent(d.turns)[0]!.label;
      if (p === cmap[d.topic]) first++;
      if (d.topics.some((t) => cmap[t] === p)) any++;
    }
  }
  console.log(`${name.padEnd(58)} first ${((100 * first) / val.length).toFixed(1)}  any ${((100 * any) / val.length).toFixed(1)}`);
}

const which = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!which.length || which.includes('shipped')) cv('shipped: LR (cues + opening turns) + NB over the conversation', {});
if (!which.length || which.includes('nonb')) cv('LR (cues + opening turns), no NB', { intentNB: false });
if (!which.length || which.includes('nocues')) cv('LR (no cues, no opening features) + NB', { intentCues: false });
