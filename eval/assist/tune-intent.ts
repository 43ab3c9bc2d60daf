/**
 * Development check of the intent model on CSDS **val** only: 5-fold cross-validation over a few
 * input/feature choices. `npx tsx eval/assist/tune-intent.ts`
 */
import { sharedDataDir } from '../../bench/lib/report.ts';
import { HashedClassifier } from '../../packages/assist/src/index.ts';
import { intentText } from '../../packages/assist/src/intent.ts';
import { coarseMap, csdsDialogues, csdsTopics } from './data.ts';

const dir = sharedDataDir();
const cmap = coarseMap(dir);
const val = csdsDialogues(csdsTopics(dir, 'val')).filter((d) => cmap[d.topic]);
const configs: { user: number; agent: number; extra: boolean; epochs: number; orders: number[]; balance?: boolean }[] = [
  { user: 10, agent: 4, extra: true, epochs: 4, orders: [1, 2, 3], balance: false },
  { user: 6, agent: 2, extra: true, epochs: 4, orders: [1, 2, 3], balance: false },
  { user: 6, agent: 2, extra: true, epochs: 4, orders: [1, 2, 3] },
  { user: 3, agent: 1, extra: true, epochs: 4, orders: [1, 2, 3] },
  { user: 4, agent: 4, extra: true, epochs: 4, orders: [1, 2, 3] },
  { user: 10, agent: 4, extra: true, epochs: 4, orders: [1, 2, 3] },
  { user: 99, agent: 99, extra: true, epochs: 4, orders: [1, 2, 3] },
  { user: 6, agent: 2, extra: false, epochs: 4, orders: [1, 2, 3] },
  { user: 6, agent: 2, extra: true, epochs: 8, orders: [1, 2, 3] },
  { user: 6, agent: 2, extra: true, epochs: 4, orders: [2, 3] },
  { user: 6, agent: 2, extra: true, epochs: 4, orders: [1, 2, 3, 4] },
];
for (const c of configs) {
  let ok = 0;
  for (let fold = 0; fold < 5; fold++) {
    const clf = new HashedClassifier([], { bits: 18, orders: c.orders }, c.extra ? 'intent-cues' : undefined);
    const tr = val.filter((_, i) => i % 5 !== fold);
    const te = val.filter((_, i) => i % 5 === fold);
    clf.train(tr.map((d) => ({ text: intentText(d.turns, c.user, c.agent), label: cmap[d.topic]! })), { epochs: c.epochs, balance: c.balance ?? true });
    for (const d of te) if (clf.predict(intentText(d.turns, c.user, c.agent))[0]!.label === cmap[d.topic]) ok++;
  }
  console.log(JSON.stringify(c), 'cv accuracy', ((100 * ok) / val.length).toFixed(1));
}

// Augmentation: also train on each val segment's reference summary (labelled with its topic).
{
  const segs = csdsTopics(dir, 'val').filter((r) => cmap[r.topic]);
  for (const w of [1, 2]) {
    let ok = 0;
    for (let fold = 0; fold < 5; fold++) {
      const clf = new HashedClassifier([], { bits: 18, orders: [1, 2, 3] }, 'intent-cues');
      const tr = val.filter((_, i) => i % 5 !== fold);
      const te = val.filter((_, i) => i % 5 === fold);
      const trKeys = new Set(tr.map((d) => d.turns.map((t) => t.text).join('|')));
      const extra = segs.filter((r) => trKeys.has(r.turns.map((t) => t.text).join('|'))).map((r) => ({ text: r.summary, label: cmap[r.topic]! }));
      const rows = tr.map((d) => ({ text: intentText(d.turns, 10, 4), label: cmap[d.topic]! }));
      for (let k = 0; k < w; k++) rows.push(...extra);
      clf.train(rows, { epochs: 4, balance: false });
      for (const d of te) if (clf.predict(intentText(d.turns, 10, 4))[0]!.label === cmap[d.topic]) ok++;
    }
    console.log(`+ segment summaries ×${w}`, 'cv accuracy', ((100 * ok) / val.length).toFixed(1));
  }
}
