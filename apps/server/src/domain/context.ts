import type { Logger } from 'pino';
import type { Database } from '../infra/db/index.ts';
import type { KeyRing } from '../lib/crypto.ts';
import type { Clock, EventBus } from './bus.ts';
import type { TierPolicies } from './tiers/policy.ts';

/** Platform-wide settings from the server configuration. */
export interface PlatformSettings {
  /** The platform's own domains: never external links. */
  domains: string[];
  /** The most any organisation's tiers may do. */
  tierCeiling: TierPolicies;
}

/** What every use case may use: the database, the key ring, the event bus and a clock. */
export interface Ctx {
  database: Database;
  keys: KeyRing;
  bus: EventBus;
  clock: Clock;
  log: Logger;
  platform: PlatformSettings;
  /** Embedded mode's data folder (exports, local attachment storage). */
  dataDir: string;
}
