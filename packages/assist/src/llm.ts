/**
 * Optional LLM reports through an OpenAI-compatible chat-completions endpoint. The offline report
 * is always computed first; the model may rewrite its prose fields (topic line, request, actions,
 * outcome, follow-ups, summaries). Its answer must be JSON that passes the schema below, arrive
 * before the timeout, and come with a 2xx status — otherwise the offline report is returned, with
 * the reason. Facts, emotions and escalation always come from the offline engine, and phone
 * numbers are masked before the transcript leaves the process.
 */
import type { Assistant } from './assistant.ts';
import type { Outcome, Report, Turn } from './types.ts';

export interface LlmConfig {
  /** e.g. `https://api.example.com/v1` — `/chat/completions` is appended. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Whole-request budget; default 8 s. */
  timeoutMs?: number;
  /** Most recent turns sent; default 80. */
  maxTurns?: number;
  fetch?: typeof fetch;
}

export interface LlmReportResult {
  report: Report;
  source: 'llm' | 'offline';
  /** Why the offline report was used, when it was. */
  error?: string;
  ms: number;
}

/** The part of the report the model writes. */
export interface LlmReportFields {
  topic: string;
  request: string;
  actions: string[];
  outcome: Outcome;
  followUps: string[];
  summary: { overall: string; user: string; agent: string };
}

const OUTCOMES: Outcome[] = ['resolved', 'pending', 'escalated', 'unresolved'];

/** Validate an untrusted object against the LLM report schema; returns the errors found. */
export function validateLlmReport(x: unknown): { ok: true; value: LlmReportFields } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const str = (v: unknown, path: string, max: number) => {
    if (typeof v !== 'string') errors.push(`${path}: expected a string`);
    else if (v.length > max) errors.push(`${path}: longer than ${max} characters`);
  };
  const strs = (v: unknown, path: string) => {
    if (!Array.isArray(v)) errors.push(`${path}: expected an array`);
    else {
      if (v.length > 12) errors.push(`${path}: more than 12 items`);
      v.forEach((s, i) => str(s, `${path}[${i}]`, 200));
    }
  };
  if (!isObj(x)) return { ok: false, errors: ['expected a JSON object'] };
  str(x.topic, 'topic', 60);
  str(x.request, 'request', 200);
  strs(x.actions, 'actions');
  strs(x.followUps, 'followUps');
  if (!OUTCOMES.includes(x.outcome as Outcome)) errors.push(`outcome: expected one of ${OUTCOMES.join(', ')}`);
  if (!isObj(x.summary)) errors.push('summary: expected an object');
  else for (const k of ['overall', 'user', 'agent']) str(x.summary[k], `summary.${k}`, 1000);
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: x as unknown as LlmReportFields };
}

const SYSTEM = [
  '你是客服质检助手。根据客服与用户的对话，写一份结构化事件报告，只输出一个 JSON 对象，不要输出其他内容。',
  '字段：topic（一句话主题，≤30字），request（用户的诉求），actions（客服做了什么，字符串数组），',
  'outcome（resolved|pending|escalated|unresolved 之一），followUps（需要跟进的事项，字符串数组），',
  'summary：{overall（整体摘要，按“用户询问……。客服表示……。”的格式），user（只写用户侧），agent（只写客服侧）}。',
].join('');

const MOBILE = /(?<![0-9])(1[3-9][0-9])[ -]?([0-9]{4})[ -]?([0-9]{4})(?![0-9])/g;

/** The transcript sent to the model, with mobile numbers masked. */
export function transcript(turns: Turn[], maxTurns = 80): string {
  return turns
    .slice(-maxTurns)
    .map((t) => `${t.role === 'user' ? '用户' : '客服'}：${t.text.replace(MOBILE, (_m, a: string, _b: string, c: string) => `${a}****${c}`)}`)
    .join('\n');
}

function parseContent(content: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(content);
  return JSON.parse((fenced ? fenced[1]! : content).trim());
}

export interface LlmReporter {
  report(turns: Turn[]): Promise<LlmReportResult>;
}

export function createLlmReporter(config: LlmConfig, assistant: Assistant): LlmReporter {
  const doFetch = config.fetch ?? fetch;
  const url = config.baseUrl.replace(/\/+$/, '') + '/chat/completions';
  return {
    async report(turns) {
      const t0 = performance.now();
      const offline = assistant.report(turns);
      const fallback = (error: string): LlmReportResult => ({ report: offline, source: 'offline', error, ms: performance.now() - t0 });
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), config.timeoutMs ?? 8000);
      try {
        const res = await doFetch(url, {
          method: 'POST',
          signal: ctl.signal,
          headers: {
            'content-type': 'application/json',
            ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}),
          },
          body: JSON.stringify({
            model: config.model,
            temperature: 0,
            response_format: { type: 'json_object' },
            messages: [
              { role: 'system', content: SYSTEM },
              { role: 'user', content: transcript(turns, config.maxTurns) },
            ],
          }),
        });
        const body = await res.text();
        if (!res.ok) return fallback(`http ${res.status}`);
        let content: unknown;
        try {
          content = (JSON.parse(body) as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message?.content;
        } catch {
          return fallback('response is not JSON');
        }
        if (typeof content !== 'string') return fallback('no message content');
        let parsed: unknown;
        try {
          parsed = parseContent(content);
        } catch {
          return fallback('content is not JSON');
        }
        const v = validateLlmReport(parsed);
        if (!v.ok) return fallback(`schema: ${v.errors.slice(0, 3).join('; ')}`);
        const f = v.value;
        const report: Report = {
          ...offline,
          topic: { intent: offline.topic.intent, label: f.topic },
          request: f.request,
          actions: f.actions,
          outcome: f.outcome,
          followUps: f.followUps,
          summary: f.summary,
        };
        return { report, source: 'llm', ms: performance.now() - t0 };
      } catch (e) {
        return fallback(ctl.signal.aborted ? 'timeout' : `network: ${(e as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
