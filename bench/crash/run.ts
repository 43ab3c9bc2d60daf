/**
 * bench:crash — acknowledged means durable, across `kill -9`. Several HTTP clients send to a few
 * conversations, each retrying a send with the SAME clientMessageId until it is acknowledged
 * (201, or 200 for a retry of a send that had committed), while this script SIGKILLs the server's
 * node process at random moments, restarts it on the same data, and goes on. Then every
 * conversation is read back from the API and checked: every acknowledged message present exactly
 * once (same id and seq as acknowledged), no duplicate clientMessageId, no seq gap.
 *
 *   npm run bench:crash -- [--cycles 25] [--clients 8] [--convs 4] [--db sqlite|postgres] [--no-write]
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { repoRoot, writeSection } from '../lib/report.ts';
import {
  ADMIN_EMAIL, ADMIN_PASSWORD, Api, fmt, freePort, median, newStore, seedConversations, startKefu, startPostgres, type DbKind, type ServerProc,
  codeVersion,
} from '../lib/kefu.ts';

const { values: args } = parseArgs({
  options: {
    cycles: { type: 'string', default: '25' },
    clients: { type: 'string', default: '8' },
    convs: { type: 'string', default: '4' },
    'min-ms': { type: 'string', default: '200' },
    'max-ms': { type: 'string', default: '1500' },
    db: { type: 'string', default: 'sqlite' },
    'no-write': { type: 'boolean', default: false },
  },
});
const CYCLES = Number(args.cycles);
const CLIENTS = Number(args.clients);
const CONVS = Number(args.convs);
const MIN_MS = Number(args['min-ms']);
const MAX_MS = Number(args['max-ms']);
const DB = args.db as DbKind;

interface Ack { cmid: string; conv: string; status: number; id: string; seq: number; attempts: number }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const load0 = os.loadavg();
  console.log(`bench:crash · ${DB} · ${CYCLES} kill -9 cycles · ${CLIENTS} clients · ${CONVS} conversations · load avg ${load0.map((x) => x.toFixed(1)).join(' ')}`);
  const pg = DB === 'postgres' ? await startPostgres() : null;
  const store = await newStore(DB, pg ?? undefined);
  const port = await freePort();
  let server: ServerProc = await startKefu(store, { port });
  const { api } = await Api.login(server.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  const convs = (await seedConversations(api, CONVS, 'crash')).map((c) => c.conversationId);
  const url = server.url;

  const acks: Ack[] = [];
  const failures: string[] = [];
  let attemptsTotal = 0;
  let inFlight = 0;
  let stop = false;

  // One client: sends one message at a time; on any failure it retries the same clientMessageId.
  const client = async (k: number) => {
    for (let j = 0; !stop; j++) {
      const cmid = `crash-c${k}-m${j}`;
      const conv = convs[Math.floor(Math.random() * convs.length)]!;
      const body = JSON.stringify({ clientMessageId: cmid, text: `崩溃测试 客户端${k} 第${j}条` });
      for (let attempt = 1; ; attempt++) {
        attemptsTotal++;
        inFlight++;
        let status = 0;
        let json: any = null;
        try {
          const res = await fetch(`${url}/api/v1/conversations/${conv}/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie: api.cookie! },
            body,
            signal: AbortSignal.timeout(5000),
          });
          status = res.status;
          json = await res.json().catch(() => null);
        } catch {
          status = 0; // connection refused / reset / timed out: outcome unknown, retry
        } finally {
          inFlight--;
        }
        if (status === 201 || status === 200) {
          acks.push({ cmid, conv, status, id: json.message.id, seq: json.message.seq, attempts: attempt });
          break;
        }
        if (status !== 0 && status < 500) {
          failures.push(`${cmid}: HTTP ${status} ${JSON.stringify(json)}`);
          break;
        }
        await sleep(10 + Math.random() * 40);
      }
    }
  };

  const clients = Array.from({ length: CLIENTS }, (_, k) => client(k));
  const kills: Array<{ atMs: number; inFlight: number; ackedBefore: number; restartMs: number }> = [];
  let provedNode = '';
  for (let c = 1; c <= CYCLES; c++) {
    await sleep(MIN_MS + Math.random() * (MAX_MS - MIN_MS));
    const pid = server.proc.pid!;
    // Prove we kill the server itself (node running cli.ts), not a wrapper.
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    if (!cmdline.includes('cli.ts start')) throw new Error(`pid ${pid} is not the server: ${cmdline}`);
    provedNode ||= cmdline.replace(process.execPath, 'node').replace(`${repoRoot}/`, '');
    const snapshot = { inFlight, ackedBefore: acks.length };
    await server.kill9();
    const t0 = performance.now();
    server = await startKefu(store, { port });
    kills.push({ atMs: Math.round(t0), ...snapshot, restartMs: performance.now() - t0 });
    process.stdout.write(`cycle ${c}/${CYCLES}: killed pid ${pid} with ${snapshot.inFlight} request(s) in flight, ${snapshot.ackedBefore} acknowledged so far; back in ${fmt(performance.now() - t0, 0)} ms\n`);
  }
  await sleep(1000);
  stop = true;
  await Promise.all(clients); // each client finishes (acknowledges) the message it is on

  // Verify from the API.
  const ackByCmid = new Map<string, Ack>();
  for (const a of acks) ackByCmid.set(a.cmid, a);
  const count = new Map<string, number>();
  let stored = 0;
  let gaps = 0;
  let mismatched = 0;
  let unacknowledgedStored = 0;
  for (const conv of convs) {
    const msgs = await api.allMessages(conv);
    stored += msgs.length;
    msgs.forEach((m, i) => {
      if (m.seq !== i + 1) gaps++;
      count.set(m.clientMessageId, (count.get(m.clientMessageId) ?? 0) + 1);
      const a = ackByCmid.get(m.clientMessageId);
      if (!a) unacknowledgedStored++;
      else if (a.id !== m.id || a.seq !== m.seq || a.conv !== conv) mismatched++;
    });
  }
  let lost = 0;
  let presentOnce = 0;
  for (const a of acks) {
    const n = count.get(a.cmid) ?? 0;
    if (n === 0) lost++;
    else if (n === 1) presentOnce++;
  }
  const duplicates = [...count.values()].reduce((s, n) => s + (n > 1 ? n - 1 : 0), 0);
  await server.stop();
  store.remove();
  await pg?.stop();

  const retried = acks.filter((a) => a.attempts > 1).length;
  const via200 = acks.filter((a) => a.status === 200).length;
  const ok = lost === 0 && duplicates === 0 && gaps === 0 && mismatched === 0 && failures.length === 0 && kills.length >= 20;
  const restart = median(kills.map((k) => k.restartMs));
  const label = DB === 'sqlite' ? 'SQLite (embedded)' : 'PostgreSQL';
  const md = `## crash — kill -9 while sending (${label})

Server code measured: ${codeVersion()}.

\`npm run bench:crash${DB === 'sqlite' ? '' : ' -- --db postgres'}\` · ${CLIENTS} HTTP clients send one message at a time to ${CONVS} conversations and retry each send with the same clientMessageId until it is acknowledged; meanwhile the script SIGKILLs the server's own node process (\`${provedNode}\`, checked in /proc before each kill) ${MIN_MS}–${MAX_MS} ms after it is ready, restarts it on the same ${DB === 'sqlite' ? 'data folder' : 'database'} and port, and goes on. Then every conversation is read back from the API.

| cycles | acknowledged | present exactly once | lost | duplicates (by clientMessageId) | seq gaps | id/seq differs from the ack | stored, never acknowledged | other errors |
|---|---|---|---|---|---|---|---|---|
| ${kills.length} | ${acks.length} | ${presentOnce} | ${lost} | ${duplicates} | ${gaps} | ${mismatched} | ${unacknowledgedStored} | ${failures.length} |

- ${stored} messages stored; ${retried} sends needed a retry, ${via200} of them were answered 200 with the original message (committed before the kill, acknowledgement lost with the process); ${attemptsTotal} HTTP attempts in all.
- Requests in flight at the moment of a kill: median ${fmt(median(kills.map((k) => k.inFlight)), 0)}, max ${Math.max(...kills.map((k) => k.inFlight))} over ${kills.length} kills.
- Restart to \`/healthz\` 200 after a kill: median ${fmt(restart, 0)} ms.
- Verdict (DESIGN 2.5: 0 lost, 0 duplicates, 0 gaps over ≥ 20 kills): ${ok ? '✅ pass' : '❌ FAIL'}.${failures.length ? `\n- Errors: ${failures.slice(0, 5).join('; ')}` : ''}`;
  console.log(`\n${md}`);
  if (!args['no-write']) writeSection(DB === 'sqlite' ? 'crash' : 'crash-postgres', md);
  if (!ok) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
