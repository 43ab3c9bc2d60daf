/**
 * Child process for one memory figure: retained heap + array buffers after GC for one engine
 * built from the 65k houbb words. Run with --expose-gc; prints one JSON line.
 */
import { sharedDataDir } from '../lib/report.ts';
import { readWords } from './data.ts';
import { resolve } from 'node:path';
import { PEERS, kefu } from './peers.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const name = process.argv[2]!;
const list = process.argv[3] ?? 'houbb';
const file = list === 'houbb' ? 'lexicons/houbb_dict_v20240407.txt' : 'lexicons/toolgood/BadWord.txt';
const words = readWords(resolve(sharedDataDir(), file));
const libs = [
  kefu('kefu exact', { exact: true }),
  kefu('kefu normalised', { pinyin: false, homophones: false }),
  kefu('kefu full', {}),
  ...PEERS,
];
const lib = libs.find((l) => l.name === name);
if (!lib) throw new Error(`unknown engine ${name}`);
const used = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const before = used();
const t = performance.now();
const engine = lib.build(words);
const buildMs = performance.now() - t;
const after = used();
// keep the engine alive until after the measurement
if (engine.count('测试') < 0) console.log('');
console.log(JSON.stringify({ name, bytes: after - before, coldBuildMs: buildMs }));
