/**
 * The baseline for `deliver`: a raw `ws` relay doing the fan-out Kefu does for one message,
 * without auth, database or Socket.IO framing. A sender (`?role=agent&pair=i`) sends
 * `{clientMessageId, text}`; the relay answers the sender with an ack, a `message.created` and a
 * `conversation.updated` (what Kefu's agent room gets) and pushes `message.created` to the
 * recipient (`?role=customer&pair=i`). Run: `node --import tsx bench/deliver/ws-relay.ts`, PORT set.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

const agents = new Map<string, WebSocket>();
const customers = new Map<string, WebSocket>();
const seqs = new Map<string, number>();

const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    return;
  }
  res.writeHead(404).end();
});
const wss = new WebSocketServer({ server });

wss.on('connection', (ws, req) => {
  const q = new URL(req.url ?? '/', 'http://x').searchParams;
  const pair = q.get('pair') ?? '';
  const role = q.get('role');
  (role === 'agent' ? agents : customers).set(pair, ws);
  ws.on('close', () => (role === 'agent' ? agents : customers).delete(pair));
  if (role !== 'agent') return;
  ws.on('message', (data) => {
    const req = JSON.parse(String(data)) as { clientMessageId: string; text: string };
    const conversationId = `relay-conv-${pair}`;
    const seq = (seqs.get(pair) ?? 0) + 1;
    seqs.set(pair, seq);
    const now = new Date().toISOString();
    const message = {
      id: randomUUID(), conversationId, seq, direction: 'outbound', senderType: 'agent', senderId: `relay-agent-${pair}`, senderName: '基线',
      text: req.text, clientMessageId: req.clientMessageId, createdAt: now, deliveredAt: null, readAt: null,
    };
    const created = JSON.stringify({ event: 'message.created', conversationId, message });
    customers.get(pair)?.send(created);
    ws.send(JSON.stringify({ event: 'ack', message }));
    ws.send(created);
    ws.send(JSON.stringify({ event: 'conversation.updated', conversation: { id: conversationId, lastSeq: seq, lastMessageAt: now, preview: req.text.slice(0, 80), status: 'open' } }));
  });
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => {
  wss.close();
  server.close(() => process.exit(0));
});
