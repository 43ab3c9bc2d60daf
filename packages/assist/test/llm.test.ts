import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlmReporter, loadAssistant, type Turn, validateLlmReport } from '../src/index.ts';

// A local server speaking the chat-completions protocol; each test sets how it answers.
type Handler = (body: Record<string, unknown>, req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = () => {};
const seen: { body: Record<string, unknown>; auth: string | undefined; path: string | undefined }[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      seen.push({ body, auth: req.headers.authorization, path: req.url });
      handler(body, req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const reply = (res: ServerResponse, content: string, status = 200) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }));
};

const good = {
  topic: '用户催发货',
  request: '尽快发货',
  actions: ['客服催促仓库'],
  outcome: 'pending',
  followUps: ['明天确认是否发出'],
  summary: { overall: '用户询问何时发货。客服表示已催促仓库。', user: '用户询问何时发货。', agent: '客服表示已催促仓库。' },
};

const turns: Turn[] = [
  { role: 'user', text: '我的快递怎么还没发，电话13812345678' },
  { role: 'agent', text: '已经帮您催促仓库，明天发出' },
];

describe('LLM reports over an OpenAI-compatible endpoint', () => {
  const assistant = loadAssistant();

  it('sends the protocol request and uses a valid answer', async () => {
    handler = (_b, _q, res) => reply(res, JSON.stringify(good));
    seen.length = 0;
    const r = await createLlmReporter({ baseUrl: `${base}/`, model: 'qwen-test', apiKey: 'k-123' }, assistant).report(turns);
    expect(r.source).toBe('llm');
    expect(r.error).toBeUndefined();
    expect(r.report.summary).toEqual(good.summary);
    expect(r.report.outcome).toBe('pending');
    expect(r.report.topic).toEqual({ intent: assistant.report(turns).topic.intent, label: '用户催发货' });
    // Facts stay the offline engine's, masked.
    expect(r.report.facts.phones).toEqual(['138****5678']);
    const req = seen[0]!;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.auth).toBe('Bearer k-123');
    expect(req.body.model).toBe('qwen-test');
    const messages = req.body.messages as { role: string; content: string }[];
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[1]!.content).toContain('用户：我的快递怎么还没发');
    expect(messages[1]!.content).toContain('138****5678');
    expect(messages[1]!.content).not.toContain('13812345678');
  });

  it('accepts JSON inside a code fence', async () => {
    handler = (_b, _q, res) => reply(res, '好的：\n```json\n' + JSON.stringify(good) + '\n```');
    const r = await createLlmReporter({ baseUrl: base, model: 'm' }, assistant).report(turns);
    expect(r.source).toBe('llm');
  });

  it.each([
    ['a missing field', { ...good, summary: { overall: 'x', user: 'y' } }, /summary\.agent/],
    ['an unknown outcome', { ...good, outcome: 'maybe' }, /outcome/],
    ['a wrong type', { ...good, actions: '催促' }, /actions/],
  ])('falls back to the offline report on %s', async (_n, answer, why) => {
    handler = (_b, _q, res) => reply(res, JSON.stringify(answer));
    const r = await createLlmReporter({ baseUrl: base, model: 'm' }, assistant).report(turns);
    expect(r.source).toBe('offline');
    expect(r.error).toMatch(why);
    expect(r.report).toEqual(assistant.report(turns));
  });

  it('falls back on prose, on an HTTP error, and on an unreachable endpoint', async () => {
    handler = (_b, _q, res) => reply(res, '抱歉，我无法生成报告');
    expect((await createLlmReporter({ baseUrl: base, model: 'm' }, assistant).report(turns)).error).toBe('content is not JSON');
    handler = (_b, _q, res) => reply(res, JSON.stringify(good), 500);
    expect((await createLlmReporter({ baseUrl: base, model: 'm' }, assistant).report(turns)).error).toBe('http 500');
    const r = await createLlmReporter({ baseUrl: 'http://127.0.0.1:9/v1', model: 'm' }, assistant).report(turns);
    expect(r.source).toBe('offline');
    expect(r.error).toMatch(/^network/);
  });

  it('times out and falls back without waiting for a slow server', async () => {
    let replied = false;
    const pending: { timer: NodeJS.Timeout; res: ServerResponse }[] = [];
    handler = (_b, _q, res) => {
      pending.push({ res, timer: setTimeout(() => ((replied = true), reply(res, JSON.stringify(good))), 3000) });
    };
    const r = await createLlmReporter({ baseUrl: base, model: 'm', timeoutMs: 200 }, assistant).report(turns);
    // The answer came back before the server had replied at all.
    expect(replied).toBe(false);
    expect(r.source).toBe('offline');
    expect(r.error).toBe('timeout');
    for (const p of pending) {
      clearTimeout(p.timer);
      p.res.destroy();
    }
  });

  it('the validator names every problem', () => {
    expect(validateLlmReport(good).ok).toBe(true);
    const bad = validateLlmReport({ topic: 1, outcome: 'x' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.length).toBeGreaterThanOrEqual(5);
    expect(validateLlmReport([]).ok).toBe(false);
  });
});
