/**
 * The baseline for `send` and `coldstart`: a bare Fastify process answering the send route with
 * the same JSON shape Kefu answers, without auth, validation, database or push. What Kefu costs
 * on top of this is what its own work costs. Run: `node --import tsx bench/lib/bare-fastify.ts`
 * with PORT set.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const seqs = new Map<string, number>();

app.post<{ Params: { id: string }; Body: { clientMessageId: string; text: string } }>('/api/v1/conversations/:id/messages', async (req, reply) => {
  const seq = (seqs.get(req.params.id) ?? 0) + 1;
  seqs.set(req.params.id, seq);
  const now = new Date().toISOString();
  reply.code(201);
  return {
    message: {
      id: randomUUID(),
      conversationId: req.params.id,
      seq,
      direction: 'outbound',
      senderType: 'agent',
      senderId: 'baseline',
      senderName: '基线',
      text: req.body.text,
      clientMessageId: req.body.clientMessageId,
      createdAt: now,
      deliveredAt: null,
      readAt: null,
    },
  };
});
app.get('/healthz', async () => ({ ok: true, database: 'none' }));

await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
