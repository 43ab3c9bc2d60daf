import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@kefu/shared';

export type KefuSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Agents authenticate with the session cookie (same origin), contacts with the platform token.
 * The server joins every room before the connection completes, so there is no join step.
 */
export function connectSocket(opts: { token?: string } = {}): KefuSocket {
  return io({
    path: '/socket.io',
    transports: ['websocket', 'polling'],
    withCredentials: true,
    auth: opts.token ? { token: opts.token } : undefined,
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
  });
}
