/**
 * CSV import of contacts and orders (CLI). Rows are validated one by one; a bad row is reported
 * with its line number and skipped, good rows are upserted in batches (each batch one commit).
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { ORDER_STATUSES, type OrderStatus, type UpsertContact, type UpsertOrder } from '@kefu/shared';
import type { Ctx } from '../context.ts';
import { upsertContactTx, upsertOrderTx } from '../contacts/service.ts';

export interface ImportReport { imported: number; errors: { line: number; message: string }[] }

function toContact(r: Record<string, string>): UpsertContact {
  const platformId = (r.platformId ?? r.platform_id ?? '').trim();
  const nickname = (r.nickname ?? '').trim();
  if (!platformId) throw new Error('platformId is required');
  if (!nickname) throw new Error('nickname is required');
  return { platformId, nickname, phone: r.phone?.trim() || null, avatarUrl: r.avatarUrl?.trim() || r.avatar_url?.trim() || null };
}

function toOrder(r: Record<string, string>): UpsertOrder {
  const orderNo = (r.orderNo ?? r.order_no ?? '').trim();
  const platformId = (r.platformId ?? r.platform_id ?? '').trim();
  if (!orderNo) throw new Error('orderNo is required');
  if (!platformId) throw new Error('platformId is required');
  const amount = Number(r.amount);
  if (!Number.isFinite(amount) || amount < 0) throw new Error(`amount "${r.amount}" is not a number`);
  let items: UpsertOrder['items'] = [];
  if (r.items) {
    try {
      items = JSON.parse(r.items) as UpsertOrder['items'];
      if (!Array.isArray(items)) throw new Error();
    } catch {
      // A plain product name is accepted too: one item, quantity 1, the whole amount.
      items = [{ name: r.items, quantity: 1, price: amount }];
    }
  }
  const status = (r.status?.trim() || 'paid') as OrderStatus;
  if (!ORDER_STATUSES.includes(status)) throw new Error(`status "${status}" is not one of ${ORDER_STATUSES.join(', ')}`);
  const createdAt = r.createdAt?.trim() || r.created_at?.trim();
  if (createdAt && Number.isNaN(Date.parse(createdAt))) throw new Error(`createdAt "${createdAt}" is not a date`);
  return { orderNo, platformId, items, amount, status, ...(createdAt ? { createdAt: new Date(createdAt).toISOString() } : {}) };
}

export async function importCsv(
  ctx: Ctx,
  orgId: string,
  kind: 'contacts' | 'orders',
  file: string,
  onProgress: (done: number) => void = () => {},
): Promise<ImportReport> {
  const report: ImportReport = { imported: 0, errors: [] };
  const parser = createReadStream(file).pipe(parse({ columns: true, bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, info: true }));
  let batch: Array<{ line: number; value: UpsertContact | UpsertOrder }> = [];
  const flush = async () => {
    const units = batch;
    batch = [];
    await Promise.all(
      units.map(({ line, value }) =>
        ctx.database
          .write(async (trx) => {
            if (kind === 'contacts') await upsertContactTx(ctx, trx, orgId, value as UpsertContact);
            else await upsertOrderTx(ctx, trx, orgId, value as UpsertOrder);
          })
          .then(() => void report.imported++)
          .catch((e: Error) => void report.errors.push({ line, message: e.message })),
      ),
    );
    onProgress(report.imported + report.errors.length);
  };
  for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    try {
      batch.push({ line: rec.info.lines, value: kind === 'contacts' ? toContact(rec.record) : toOrder(rec.record) });
    } catch (e) {
      report.errors.push({ line: rec.info.lines, message: (e as Error).message });
    }
    if (batch.length >= 500) await flush();
  }
  await flush();
  report.errors.sort((a, b) => a.line - b.line);
  return report;
}
