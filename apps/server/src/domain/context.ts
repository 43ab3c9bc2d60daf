import type { Logger } from 'pino';
import type { Database } from '../infra/db/index.ts';
import type { KeyRing } from '../lib/crypto.ts';
import type { Clock, EventBus } from './bus.ts';

/** What every use case may use: the database, the key ring, the event bus and a clock. */
export interface Ctx {
  database: Database;
  keys: KeyRing;
  bus: EventBus;
  clock: Clock;
  log: Logger;
}
