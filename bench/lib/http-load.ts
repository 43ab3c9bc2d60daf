/**
 * A small HTTP load generator on keep-alive node:http sockets, with sub-millisecond latencies.
 *
 * - `closedLoop`: N connections, each sends its next request as soon as the previous answer
 *   arrives, until the duration is over; requests in flight at the end are awaited, so every
 *   request is counted (the `send` bench compares acknowledged and stored messages exactly).
 * - `openLoop`: requests start on a fixed schedule (rate/s) whatever the answers; latency is
 *   measured from the *scheduled* start, so a slow server cannot hide behind a slow generator
 *   (no coordinated omission). autocannon's `overallRate` releases each connection's quota at
 *   the top of every second and corrects with a 1-ms expected interval, which is why it is not
 *   used for the fixed-rate figures.
 */
import { Agent, request, type ClientRequest } from 'node:http';

export interface LoadRequest { method?: string; path: string; body?: string; headers?: Record<string, string>; /** Caller's own bookkeeping (e.g. the client message id). */ tag?: string }
export type OnDone = (req: LoadRequest, status: number, body: string, ms: number) => void;

export interface LoadResult {
  /** Requests answered (any status). */
  completed: number;
  /** Answers by status; 0 = connection error. */
  statuses: Record<number, number>;
  /** Wall time from the first request to the last answer. */
  elapsedMs: number;
  /** Latency of every 2xx answer, ms, unsorted. */
  latencies: number[];
  /** Largest delay between a scheduled start and the actual start (open loop; generator lag). */
  maxScheduleLagMs: number;
  /** Open loop: requests unanswered at the cut-off (see `graceMs`). */
  cutOff: number;
}

function once(agent: Agent, base: URL, r: LoadRequest, headers: Record<string, string>, live?: Set<ClientRequest>): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const body = r.body ?? '';
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: r.method ?? 'POST',
        path: r.path,
        headers: { ...headers, ...(r.body !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}), ...r.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', () => resolve({ status: 0, body: '' }));
      },
    );
    req.on('error', () => resolve({ status: 0, body: '' }));
    if (live) {
      live.add(req);
      req.once('close', () => live.delete(req));
    }
    req.end(body);
  });
}

export async function closedLoop(opts: {
  url: string;
  connections: number;
  durationMs: number;
  next: (i: number) => LoadRequest;
  headers?: Record<string, string>;
  onDone?: OnDone;
}): Promise<LoadResult> {
  const base = new URL(opts.url);
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections });
  const res: LoadResult = { completed: 0, statuses: {}, elapsedMs: 0, latencies: [], maxScheduleLagMs: 0, cutOff: 0 };
  let i = 0;
  const t0 = performance.now();
  const deadline = t0 + opts.durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const r = opts.next(i++);
      const s = performance.now();
      const { status, body } = await once(agent, base, r, opts.headers ?? {});
      const ms = performance.now() - s;
      res.completed++;
      res.statuses[status] = (res.statuses[status] ?? 0) + 1;
      if (status >= 200 && status < 300) res.latencies.push(ms);
      opts.onDone?.(r, status, body, ms);
      if (status === 0) await new Promise((w) => setTimeout(w, 10));
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, worker));
  res.elapsedMs = performance.now() - t0;
  agent.destroy();
  return res;
}

export async function openLoop(opts: {
  url: string;
  rate: number;
  durationMs: number;
  maxSockets?: number;
  next: (i: number) => LoadRequest;
  headers?: Record<string, string>;
  onDone?: OnDone;
  /**
   * How long to wait for answers after the last scheduled start. Requests still unanswered then
   * are cut off (status 0) and enter the latencies with their time so far, a lower bound.
   */
  graceMs?: number;
}): Promise<LoadResult> {
  const base = new URL(opts.url);
  const agent = new Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 64 });
  const res: LoadResult = { completed: 0, statuses: {}, elapsedMs: 0, latencies: [], maxScheduleLagMs: 0, cutOff: 0 };
  const total = Math.round((opts.rate * opts.durationMs) / 1000);
  const interval = 1000 / opts.rate;
  const pending: Promise<void>[] = [];
  let cutOff = false;
  const live = new Set<ClientRequest>();
  const t0 = performance.now();
  let issued = 0;
  while (issued < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor((now - t0) / interval) + 1);
    for (; issued < due; issued++) {
      const scheduled = t0 + issued * interval;
      res.maxScheduleLagMs = Math.max(res.maxScheduleLagMs, performance.now() - scheduled);
      const r = opts.next(issued);
      pending.push(
        once(agent, base, r, opts.headers ?? {}, live).then(({ status, body }) => {
          const ms = performance.now() - scheduled;
          res.completed++;
          res.statuses[status] = (res.statuses[status] ?? 0) + 1;
          if ((status >= 200 && status < 300) || (status === 0 && cutOff)) res.latencies.push(ms);
          if (status === 0 && cutOff) res.cutOff++;
          opts.onDone?.(r, status, body, ms);
        }),
      );
    }
    const nextAt = t0 + issued * interval;
    await new Promise((w) => setTimeout(w, Math.max(0, nextAt - performance.now() - 0.5)));
  }
  const all = Promise.all(pending);
  if (opts.graceMs === undefined) await all;
  else {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([all.then(() => false), new Promise<boolean>((w) => (timer = setTimeout(() => w(true), opts.graceMs)))]);
    clearTimeout(timer);
    if (timedOut) {
      cutOff = true;
      for (const req of live) req.destroy(); // every request still queued or in flight fails now, as status 0
      await all;
    }
  }
  res.elapsedMs = performance.now() - t0;
  agent.destroy();
  return res;
}

export function okCount(r: LoadResult): number {
  return Object.entries(r.statuses).reduce((n, [s, c]) => n + (Number(s) >= 200 && Number(s) < 300 ? c : 0), 0);
}
