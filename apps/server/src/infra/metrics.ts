/** Prometheus metrics: request latency by route, errors by code, group-commit batching. */
import client from 'prom-client';
import type { App } from '../http/types.ts';
import type { Database } from './db/index.ts';

export class Metrics {
  readonly registry = new client.Registry();
  readonly http: client.Histogram<'method' | 'route' | 'status'>;
  readonly errors: client.Counter<'code'>;

  constructor(database: Database) {
    client.collectDefaultMetrics({ register: this.registry });
    this.http = new client.Histogram({
      name: 'kefu_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.errors = new client.Counter({ name: 'kefu_errors_total', help: 'Server errors by code', labelNames: ['code'], registers: [this.registry] });
    new client.Gauge({
      name: 'kefu_db_commits_total',
      help: 'Write transactions committed (SQLite: group commits)',
      registers: [this.registry],
      collect() { this.set(database.stats.commits); },
    });
    new client.Gauge({
      name: 'kefu_db_units_total',
      help: 'Units of work committed (sends, upserts…); units/commits is the group-commit factor',
      registers: [this.registry],
      collect() { this.set(database.stats.units); },
    });
  }

  instrument(app: App) {
    app.addHook('onResponse', async (req, reply) => {
      this.http.observe(
        { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
  }
}
