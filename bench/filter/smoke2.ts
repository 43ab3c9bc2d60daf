import { sharedDataDir } from '../lib/report.ts';
import { loadData } from './data.ts';
import { kefu, PEERS } from './peers.ts';
const d = loadData(sharedDataDir());
const text = d.shopping.join('\n');
const which = process.argv[2] ?? 'norm';
const lib = which === 'exact' ? kefu('x', { exact: true }) : which === 'norm' ? kefu('n', { pinyin: false, homophones: false }) : which === 'full' ? kefu('n', {}) : PEERS.find((p) => p.name === which)!;
const e = lib.build(d.houbb);
const r: number[] = [];
for (let k = 0; k < 7; k++) {
  const c0 = process.cpuUsage();
  e.count(text);
  const c = process.cpuUsage(c0);
  r.push((text.length * 2) / 1e6 / ((c.user + c.system) / 1e6));
}
console.log(which, r.map((x) => x.toFixed(0)).join(' '));
