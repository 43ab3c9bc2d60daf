import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Button, Spin, Tooltip } from 'antd';
import { CheckOutlined, ClockCircleOutlined, ExclamationCircleFilled, DownOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Attachment, Message } from '@kefu/shared';
import { Attachments } from './Attachments.tsx';
import type { MessageSnapshot, PendingMessage } from '../../lib/messageStore.ts';
import { dateTime, dayLabel, sameDay, timeOfDay } from '../../lib/format.ts';
import { errorText } from '../../i18n/index.ts';
import { ApiError, isRetryableCode } from '../../api/errors.ts';

/** Whose messages are "mine" (right side, with delivery marks). */
export type Perspective = 'agent' | 'contact';

type Row =
  | { kind: 'msg'; key: string; m: Message; day: string | null }
  | { kind: 'pending'; key: string; p: PendingMessage; day: string | null };

export function buildRows(snap: Pick<MessageSnapshot, 'messages' | 'pending'>): Row[] {
  const rows: Row[] = [];
  let prev: string | null = null;
  for (const m of snap.messages) {
    rows.push({ kind: 'msg', key: `m${m.id}`, m, day: prev && sameDay(prev, m.createdAt) ? null : m.createdAt });
    prev = m.createdAt;
  }
  for (const p of snap.pending) {
    rows.push({ kind: 'pending', key: `p${p.clientMessageId}`, p, day: prev && sameDay(prev, p.createdAt) ? null : p.createdAt });
    prev = p.createdAt;
  }
  return rows;
}

type Mark = 'sent' | 'delivered' | 'read';

const Bubble = memo(function Bubble({
  text,
  mine,
  name,
  time,
  title,
  mark,
  pending,
  onRetry,
  onEdit,
  seq,
  system,
  attachments,
}: {
  attachments?: readonly Attachment[];
  text: string;
  mine: boolean;
  name: string | null;
  time: string;
  title: string;
  mark: Mark | null;
  pending: PendingMessage | null;
  onRetry?: () => void;
  onEdit?: () => void;
  seq: number | null;
  system: boolean;
}) {
  const { t } = useTranslation();
  if (system)
    return (
      <div className="msg-system" data-testid="message" data-seq={seq ?? undefined}>
        {text}
      </div>
    );
  return (
    <div className={`msg ${mine ? 'mine' : 'theirs'}`} data-testid="message" data-seq={seq ?? undefined} data-mine={mine} data-state={pending ? pending.status : mark ?? undefined}>
      <div className="msg-meta">
        {name && <span className="msg-name">{name}</span>}
        <Tooltip title={title}>
          <span className="msg-time">{time}</span>
        </Tooltip>
      </div>
      <div className="msg-body">
        {mine && pending?.status === 'failed' && (
          <Tooltip title={pending.errorCode ? errorText(new ApiError(pending.errorCode as 'INTERNAL', 0, ''), t) : t('conversation.failed')}>
            <ExclamationCircleFilled className="msg-failed-icon" />
          </Tooltip>
        )}
        <div className="msg-content">
          {attachments && attachments.length > 0 && <Attachments items={attachments} />}
          {(text || !attachments?.length) && (
            <div className="msg-bubble" data-testid="message-text">
              {text}
            </div>
          )}
        </div>
      </div>
      {mine && (
        <div className="msg-mark" data-testid="message-mark">
          {pending?.status === 'sending' && (
            <span className="mark-sending">
              <ClockCircleOutlined /> {t('conversation.sending')}
            </span>
          )}
          {pending?.status === 'failed' &&
            (isRetryableCode(pending.errorCode) || !onEdit ? (
              <span className="mark-failed">
                {t('conversation.failed')}
                <Button type="link" size="small" onClick={onRetry} data-testid="retry-send">
                  {t('conversation.resend')}
                </Button>
              </span>
            ) : (
              // Sending it again would fail the same way (blocked word, quota…): say why, offer an edit.
              <span className="mark-failed" data-testid="send-refused">
                {errorText(new ApiError(pending.errorCode as 'INTERNAL', 0, ''), t)}
                <Button type="link" size="small" onClick={onEdit} data-testid="edit-failed">
                  {t('conversation.edit')}
                </Button>
              </span>
            ))}
          {!pending && mark === 'read' && <span className="mark-read">{t('conversation.read')}</span>}
          {!pending && mark === 'delivered' && (
            <span className="mark-delivered">
              <CheckOutlined /> {t('conversation.delivered')}
            </span>
          )}
          {!pending && mark === 'sent' && <span className="mark-sent">{t('conversation.sent')}</span>}
        </div>
      )}
    </div>
  );
});

export interface MessageListProps {
  snapshot: MessageSnapshot;
  perspective: Perspective;
  /** For the contact's view: the agent side's read mark on the contact's messages. */
  otherReadSeq?: number;
  loadEarlier?: () => Promise<unknown>;
  onRetry: (p: PendingMessage) => void;
  /** Put a refused message back into the composer (and drop it from the list). */
  onEdit?: (p: PendingMessage) => void;
  names?: { mine?: string; theirs?: string };
  footer?: React.ReactNode;
  className?: string;
}

/**
 * The message history, virtualised (only the rows on screen are in the DOM), so a 10,000
 * message conversation scrolls and types as smoothly as a short one. Scrolling near the top
 * loads the previous page and keeps the reader's place.
 */
export function MessageList({ snapshot, perspective, loadEarlier, onRetry, onEdit, names, footer, className, otherReadSeq }: MessageListProps) {
  const { t } = useTranslation();
  const parentRef = useRef<HTMLDivElement>(null);
  const rows = useMemo(() => buildRows(snapshot), [snapshot.messages, snapshot.pending]); // eslint-disable-line react-hooks/exhaustive-deps
  const [loadingEarlier, setLoadingEarlier] = useState(false);
  const atBottom = useRef(true);
  const [showJump, setShowJump] = useState(false);
  const anchor = useRef<{ firstKey: string | undefined; total: number; top: number } | null>(null);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => 72,
    overscan: 10,
    getItemKey: (i) => rows[i]!.key,
  });

  const isMine = useCallback((m: Message) => (perspective === 'agent' ? m.direction === 'outbound' : m.direction === 'inbound'), [perspective]);

  // Keep the reader's place when older messages are put in front.
  useLayoutEffect(() => {
    const a = anchor.current;
    const el = parentRef.current;
    if (!a || !el) return;
    if (rows[0]?.key !== a.firstKey) {
      const grown = virtualizer.getTotalSize() - a.total;
      el.scrollTop = a.top + grown;
      anchor.current = null;
    }
  }, [rows, virtualizer]);

  // Follow new messages when the reader is at the bottom.
  const lastKey = rows[rows.length - 1]?.key;
  useEffect(() => {
    if (rows.length === 0) return;
    if (atBottom.current) virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
    else setShowJump(true);
  }, [lastKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const onScroll = useCallback(() => {
    const el = parentRef.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
    atBottom.current = bottom;
    if (bottom) setShowJump(false);
    if (el.scrollTop < 240 && loadEarlier && snapshot.hasMoreBefore && !loadingEarlier && rows.length > 0) {
      anchor.current = { firstKey: rows[0]?.key, total: virtualizer.getTotalSize(), top: el.scrollTop };
      setLoadingEarlier(true);
      loadEarlier()
        .catch(() => undefined)
        .finally(() => setLoadingEarlier(false));
    }
  }, [loadEarlier, snapshot.hasMoreBefore, loadingEarlier, rows, virtualizer]);

  const items = virtualizer.getVirtualItems();
  return (
    <div className={`msg-list-wrap ${className ?? ''}`}>
      <div ref={parentRef} className="msg-list" onScroll={onScroll} data-testid="message-list" data-count={snapshot.messages.length}>
        <div className="msg-list-top">
          {loadingEarlier ? <Spin size="small" /> : !snapshot.hasMoreBefore && rows.length > 0 ? <span>{t('conversation.noEarlier')}</span> : null}
        </div>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
          {items.map((vi) => {
            const row = rows[vi.index]!;
            return (
              <div key={vi.key} data-index={vi.index} ref={virtualizer.measureElement} className="msg-row" style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${vi.start}px)` }}>
                {row.day && (
                  <div className="day-sep" data-testid="day-separator">
                    <span>{dayLabel(row.day, t)}</span>
                  </div>
                )}
                {row.kind === 'msg' ? (
                  <Bubble
                    text={row.m.text}
                    attachments={row.m.attachments}
                    mine={isMine(row.m)}
                    system={row.m.senderType === 'system'}
                    name={isMine(row.m) ? (perspective === 'agent' ? row.m.senderName : null) : (row.m.senderName ?? names?.theirs ?? null)}
                    time={timeOfDay(row.m.createdAt)}
                    title={dateTime(row.m.createdAt)}
                    seq={row.m.seq}
                    pending={null}
                    mark={
                      perspective === 'agent'
                        ? row.m.seq <= snapshot.readSeq || row.m.readAt
                          ? 'read'
                          : row.m.seq <= snapshot.deliveredSeq || row.m.deliveredAt
                            ? 'delivered'
                            : 'sent'
                        : row.m.seq <= (otherReadSeq ?? 0) || row.m.readAt
                          ? 'read'
                          : 'sent'
                    }
                  />
                ) : (
                  <Bubble text={row.p.text} mine name={null} system={false} time={timeOfDay(row.p.createdAt)} title={dateTime(row.p.createdAt)} seq={null} pending={row.p} mark={null} onRetry={() => onRetry(row.p)} onEdit={onEdit ? () => onEdit(row.p) : undefined} />
                )}
              </div>
            );
          })}
        </div>
        {footer}
      </div>
      {showJump && (
        <Button
          className="jump-bottom"
          shape="round"
          size="small"
          type="primary"
          icon={<DownOutlined />}
          onClick={() => {
            atBottom.current = true;
            setShowJump(false);
            virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
          }}
        >
          {t('conversation.newMessages')}
        </Button>
      )}
    </div>
  );
}
