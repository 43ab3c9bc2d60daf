import type { Message } from '@kefu/shared';

/** A message typed here and not yet acknowledged by the server. */
export interface PendingMessage {
  clientMessageId: string;
  text: string;
  createdAt: string;
  status: 'sending' | 'failed';
  errorCode?: string;
}

export interface MessageSnapshot {
  /** Committed messages, ascending by `seq`, one per `seq`. */
  readonly messages: readonly Message[];
  /** Local sends not yet committed, in the order they were typed. */
  readonly pending: readonly PendingMessage[];
  readonly hasMoreBefore: boolean;
  /** Highest seq the other side has delivered / read (outbound receipts). */
  readonly deliveredSeq: number;
  readonly readSeq: number;
  /** Highest seq known to exist; > last loaded seq when a gap must be filled. */
  readonly knownLastSeq: number;
}

/**
 * One conversation's messages as the client sees them. Realtime pushes are at-least-once and
 * may arrive out of order or twice; the store orders by `seq` (never by arrival) and keeps one
 * message per `seq`, so merging the same page twice, or a push and a sync answer that overlap,
 * changes nothing (STYLE 13). Receipts are monotonic marks.
 */
export class MessageStore {
  private msgs: Message[] = [];
  private bySeq = new Map<number, Message>();
  private pend: PendingMessage[] = [];
  private more = true;
  private delivered = 0;
  private read = 0;
  private known = 0;
  private snap: MessageSnapshot;
  private listeners = new Set<() => void>();

  constructor() {
    this.snap = this.makeSnapshot();
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  getSnapshot = (): MessageSnapshot => this.snap;

  get lastSeq(): number {
    return this.msgs.length ? this.msgs[this.msgs.length - 1]!.seq : 0;
  }
  get firstSeq(): number {
    return this.msgs.length ? this.msgs[0]!.seq : 0;
  }
  /**
   * The highest seq up to which nothing is missing (from the first loaded message on). A push
   * can race ahead of a gap, so the last seq held is not where a catch-up must start.
   */
  get contiguousSeq(): number {
    const m = this.msgs;
    if (m.length === 0) return 0;
    if (m[m.length - 1]!.seq - m[0]!.seq === m.length - 1) return m[m.length - 1]!.seq;
    for (let i = 0; i < m.length - 1; i++) if (m[i + 1]!.seq !== m[i]!.seq + 1) return m[i]!.seq;
    return m[m.length - 1]!.seq;
  }
  /** True when messages are known to exist that have not arrived (a hole, or a newer seq). */
  get hasGap(): boolean {
    return this.known > this.contiguousSeq;
  }

  /**
   * Merge committed messages from any source (history page, push, sync, send answer). Returns
   * how many were new. A message with a seq already held replaces it only if it is the same id
   * (a fresher copy with receipt times); a different id at the same seq is ignored.
   */
  merge(incoming: readonly Message[]): number {
    if (incoming.length === 0) return 0;
    let added = 0;
    let changed = false;
    let needSort = false;
    const doneClientIds = new Set<string>();
    for (const m of incoming) {
      doneClientIds.add(m.clientMessageId);
      if (m.seq > this.known) this.known = m.seq;
      const have = this.bySeq.get(m.seq);
      if (have) {
        if (have.id === m.id && (have.deliveredAt !== m.deliveredAt || have.readAt !== m.readAt)) {
          const idx = this.indexOfSeq(m.seq);
          const merged = { ...have, deliveredAt: m.deliveredAt ?? have.deliveredAt, readAt: m.readAt ?? have.readAt };
          this.msgs[idx] = merged;
          this.bySeq.set(m.seq, merged);
          changed = true;
        }
        continue;
      }
      if (this.msgs.length && m.seq < this.lastSeq) needSort = true;
      this.msgs.push(m);
      this.bySeq.set(m.seq, m);
      added++;
      changed = true;
    }
    if (needSort) this.msgs.sort((a, b) => a.seq - b.seq);
    const before = this.pend.length;
    if (before) this.pend = this.pend.filter((p) => !doneClientIds.has(p.clientMessageId));
    if (this.pend.length !== before) changed = true;
    if (changed) this.emit();
    return added;
  }

  /** Record that a page before the first loaded message had (or had not) more behind it. */
  setHasMoreBefore(more: boolean): void {
    if (this.more !== more) {
      this.more = more;
      this.emit();
    }
  }

  /** A newer message exists (e.g. from `conversation.updated`) even if not yet received. */
  noteLastSeq(seq: number): void {
    if (seq > this.known) {
      this.known = seq;
      this.emit();
    }
  }

  addPending(p: Omit<PendingMessage, 'status' | 'createdAt'> & { createdAt?: string }): void {
    if (this.pend.some((x) => x.clientMessageId === p.clientMessageId)) return;
    this.pend = [...this.pend, { ...p, createdAt: p.createdAt ?? new Date().toISOString(), status: 'sending' }];
    this.emit();
  }

  markPending(clientMessageId: string, status: PendingMessage['status'], errorCode?: string): void {
    let hit = false;
    this.pend = this.pend.map((p) => {
      if (p.clientMessageId !== clientMessageId) return p;
      hit = true;
      return { ...p, status, errorCode };
    });
    if (hit) this.emit();
  }

  removePending(clientMessageId: string): void {
    const n = this.pend.length;
    this.pend = this.pend.filter((p) => p.clientMessageId !== clientMessageId);
    if (this.pend.length !== n) this.emit();
  }

  /** Delivered / read marks never move backwards. */
  applyReceipt(kind: 'delivered' | 'read', uptoSeq: number): void {
    let changed = false;
    if (kind === 'read' && uptoSeq > this.read) {
      this.read = uptoSeq;
      changed = true;
    }
    // Reading implies delivery.
    if (uptoSeq > this.delivered) {
      this.delivered = uptoSeq;
      changed = true;
    }
    if (changed) this.emit();
  }

  private indexOfSeq(seq: number): number {
    let lo = 0;
    let hi = this.msgs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.msgs[mid]!.seq;
      if (s === seq) return mid;
      if (s < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private makeSnapshot(): MessageSnapshot {
    return {
      messages: this.msgs.slice(),
      pending: this.pend,
      hasMoreBefore: this.more,
      deliveredSeq: this.delivered,
      readSeq: this.read,
      knownLastSeq: Math.max(this.known, this.lastSeq),
    };
  }

  private emit(): void {
    this.snap = this.makeSnapshot();
    for (const fn of this.listeners) fn();
  }
}
