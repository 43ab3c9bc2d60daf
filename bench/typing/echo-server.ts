/**
 * The baseline for `typing`: a bare Socket.IO server that answers `draft.check` with an ack of
 * the same JSON shape Kefu answers (a clean draft), without authentication, draft state, scan or
 * policy. What Kefu costs on top of this is its own work. Run with PORT set:
 * `node --import tsx bench/typing/echo-server.ts`.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
    return;
  }
  res.writeHead(404).end();
});
// The same transport options as Kefu's gateway (apps/server/src/realtime/gateway.ts).
const io = new Server(http, { path: '/socket.io', serveClient: false, pingInterval: 25_000, pingTimeout: 20_000, maxHttpBufferSize: 64 * 1024 });
io.on('connection', (socket) => {
  socket.on('draft.check', (req: { draftId?: unknown }, ack: unknown) => {
    if (typeof ack !== 'function' || typeof req?.draftId !== 'string') return;
    ack({ maxLevel: 0, hits: [], action: 'send', links: [] });
  });
});
http.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => {
  io.close();
  http.close(() => process.exit(0));
});
