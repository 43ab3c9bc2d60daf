import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useOutletContext } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Avatar, Button, Drawer, Empty, Select, Space, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, IdcardOutlined, PaperClipOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CONVERSATION_STATUSES, type Agent, type ConversationStatus } from '@kefu/shared';
import { api } from '../../api/client.ts';
import { errorText } from '../../i18n/index.ts';
import { noteAgentRead, qk, upsertConversation } from '../../lib/conversationCache.ts';
import { loadDraft, saveDraft } from '../../lib/drafts.ts';
import { newClientMessageId } from '../../lib/ids.ts';
import { sendThrough } from '../../lib/send.ts';
import type { PendingMessage } from '../../lib/messageStore.ts';
import { useContactTyping, useMessages, useRealtime } from '../../realtime/context.tsx';
import { Composer, type ComposerHandle } from './Composer.tsx';
import { QuotaBadge } from './QuotaBadge.tsx';
import { ContactPanel } from './ContactPanel.tsx';
import { MessageList } from './MessageList.tsx';

export function ConversationView({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useOutletContext<Agent>();
  const navigate = useNavigate();
  const [panelOpen, setPanelOpen] = useState(false);
  const qc = useQueryClient();
  const rt = useRealtime();
  const store = useMemo(() => rt.storeFor(conversationId), [rt, conversationId]);
  const snap = useMessages(store);
  const typing = useContactTyping(conversationId);
  const conv = useQuery({ queryKey: qk.conversation(conversationId), queryFn: () => api.conversations.get(conversationId) });
  const c = conv.data?.conversation;
  const history = useQuery({ queryKey: ['history', conversationId], queryFn: () => rt.loadLatest(conversationId).then(() => true), staleTime: Infinity, gcTime: 0 });

  useEffect(() => {
    rt.viewing = conversationId;
    return () => {
      if (rt.viewing === conversationId) rt.viewing = null;
    };
  }, [rt, conversationId]);

  // Receipts the conversation already carries (loaded before any live event).
  useEffect(() => {
    if (!c) return;
    store.applyReceipt('delivered', c.contactDeliveredSeq);
    store.applyReceipt('read', c.contactReadSeq);
  }, [c, store]);

  // Mark read what the agent can see: the newest inbound message, when the tab is visible.
  const readSent = useRef(0);
  const lastInbound = useMemo(() => {
    for (let i = snap.messages.length - 1; i >= 0; i--) if (snap.messages[i]!.direction === 'inbound') return snap.messages[i]!.seq;
    return 0;
  }, [snap.messages]);
  useEffect(() => {
    const mark = () => {
      if (document.visibilityState !== 'visible' || lastInbound <= readSent.current) return;
      if (c && lastInbound <= c.agentReadSeq && c.unreadCount === 0) return;
      readSent.current = lastInbound;
      noteAgentRead(qc, conversationId, lastInbound);
      api.conversations.receipt(conversationId, { kind: 'read', uptoSeq: lastInbound }).catch(() => {
        readSent.current = 0;
      });
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [lastInbound, conversationId, qc, c]);

  const send = useCallback(
    async (text: string, clientMessageId = newClientMessageId()) => {
      const r = await sendThrough(store, clientMessageId, text, (body) => api.conversations.send(conversationId, body));
      if (!r.ok && !r.error.sessionLost) message.error(errorText(r.error, t));
    },
    [store, conversationId, message, t],
  );
  const retry = useCallback((p: PendingMessage) => void send(p.text, p.clientMessageId), [send]);
  // A file goes out as its own message: uploaded first (type checked by the server from its
  // bytes, against the agent's tier), then sent with the attachment.
  const fileInput = useRef<HTMLInputElement>(null);
  const sendFile = useCallback(
    async (file: File) => {
      let id: string;
      try {
        id = (await api.attachments.upload(conversationId, file)).attachment.id;
      } catch (e) {
        message.error(errorText(e, t));
        return;
      }
      const r = await sendThrough(store, newClientMessageId(), `📎 ${file.name}`, (body) =>
        api.conversations.send(conversationId, { clientMessageId: body.clientMessageId, text: '', attachmentIds: [id] }),
      );
      if (!r.ok && !r.error.sessionLost) message.error(errorText(r.error, t));
    },
    [conversationId, store, message, t],
  );
  const tools = useMemo(
    () => (
      <>
        <input
          ref={fileInput}
          type="file"
          hidden
          data-testid="attach-input"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void sendFile(f);
          }}
        />
        <Button type="text" icon={<PaperClipOutlined />} onClick={() => fileInput.current?.click()} aria-label={t('composer.attach')} title={t('composer.attach')} data-testid="attach" />
      </>
    ),
    [sendFile, t],
  );
  const composer = useRef<ComposerHandle>(null);
  // Canned replies by hotkey slot: the text is filled in ({昵称}, {订单号}, {客服名}) by the server.
  const canned = useQuery({ queryKey: ['canned'], queryFn: api.canned.list, staleTime: 60_000 });
  const insertCanned = useCallback(
    async (slot: number) => {
      const id = canned.data?.hotkeys[String(slot)];
      if (!id) {
        void message.info(t('composer.noHotkey', { slot }));
        return;
      }
      try {
        const { text } = await api.canned.render(id, conversationId);
        composer.current?.insert(text);
      } catch {
        void message.error(t('composer.hotkeyFailed'));
      }
    },
    [canned.data, conversationId, t],
  );
  const edit = useCallback(
    (p: PendingMessage) => {
      store.removePending(p.clientMessageId);
      composer.current?.setText(p.text);
      composer.current?.focus();
    },
    [store],
  );

  async function update(patch: { status?: ConversationStatus; assigneeId?: string | null }) {
    try {
      const r = await api.conversations.update(conversationId, patch);
      upsertConversation(qc, r.conversation);
      qc.setQueryData(qk.conversation(conversationId), { conversation: { ...r.conversation, contact: r.conversation.contact ?? c?.contact } });
      message.success(t('conversation.statusChanged'));
    } catch (e) {
      message.error(errorText(e, t));
    }
  }

  // Drafts are written at most every 300 ms, and at once when the view goes away.
  const pendingDraft = useRef<string | null>(null);
  const draftTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const draftSaver = useCallback(
    (v: string) => {
      pendingDraft.current = v;
      if (draftTimer.current) return;
      draftTimer.current = setTimeout(() => {
        draftTimer.current = null;
        if (pendingDraft.current !== null) saveDraft(conversationId, pendingDraft.current);
        pendingDraft.current = null;
      }, 300);
    },
    [conversationId],
  );
  useEffect(
    () => () => {
      if (draftTimer.current) clearTimeout(draftTimer.current);
      if (pendingDraft.current !== null) saveDraft(conversationId, pendingDraft.current);
    },
    [conversationId],
  );

  const closed = c?.status === 'resolved';
  const contact = c?.contact;
  return (
    <>
      <section className="conv-view" data-testid="conversation-view" data-conversation-id={conversationId}>
        <header className="conv-head">
          <Space size={12}>
            <Button type="text" icon={<ArrowLeftOutlined />} className="conv-back" aria-label={t('conversation.back')} onClick={() => navigate('/inbox')} data-testid="conversation-back" />
            <Avatar src={contact?.avatarUrl ?? undefined} icon={<UserOutlined />} />
            <div>
              <Typography.Text strong data-testid="conversation-title">
                {contact?.nickname ?? ''}
              </Typography.Text>
              <div className="conv-head-sub">
                <Typography.Text type="secondary">{contact?.platformId}</Typography.Text>
                {c && (
                  <Tag bordered={false} color="blue">
                    {t(`businessType.${c.businessType}`)}
                  </Tag>
                )}
              </div>
            </div>
          </Space>
          {c && (
            <Space>
              <Typography.Text type="secondary" className="conv-status-label">
                {t('conversation.status')}
              </Typography.Text>
              <Select<ConversationStatus>
                size="small"
                value={c.status}
                style={{ width: 110 }}
                onChange={(s) => void update({ status: s })}
                data-testid="conversation-status"
                options={CONVERSATION_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
              />
              <Button size="small" icon={<IdcardOutlined />} className="conv-contact-btn" onClick={() => setPanelOpen(true)} data-testid="open-contact-panel">
                {t('contact.title')}
              </Button>
              {c.assigneeId !== me.id && (
                <Button size="small" onClick={() => void update({ assigneeId: me.id })}>
                  {t('conversation.assignToMe')}
                </Button>
              )}
            </Space>
          )}
        </header>
        {history.isError && <Alert type="error" showIcon title={errorText(history.error, t)} action={<Button size="small" onClick={() => void history.refetch()}>{t('app.retry')}</Button>} />}
        <MessageList
          snapshot={snap}
          perspective="agent"
          loadEarlier={() => rt.loadEarlier(conversationId)}
          onRetry={retry}
          onEdit={edit}
          names={{ theirs: contact?.nickname }}
          className="conv-messages"
          footer={history.isSuccess && snap.messages.length === 0 && snap.pending.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('conversation.empty')} /> : null}
        />
        <div className="typing-line">
          <span data-testid="typing-indicator" data-typing={typing}>
            {typing ? t('conversation.typing') : ''}
          </span>
          <QuotaBadge />
        </div>
        {closed && <Alert type="info" showIcon banner title={t('conversation.closedHint')} />}
        <Composer
          key={conversationId}
          handle={composer}
          initial={loadDraft(conversationId)}
          onDraft={draftSaver}
          onTyping={(on) => rt.sendTyping(conversationId, on)}
          onSend={(text) => void send(text)}
          onHotkey={(slot) => void insertCanned(slot)}
          tools={tools}
          disabled={closed}
          autoFocus
        />
      </section>
      <ContactPanel contact={contact} conversation={c} />
      {/* On a phone the panel does not fit beside the chat: it opens over it. */}
      <Drawer open={panelOpen} onClose={() => setPanelOpen(false)} placement="right" size="min(378px, 100vw)" title={t('contact.title')} className="contact-drawer" destroyOnHidden>
        <ContactPanel contact={contact} conversation={c} />
      </Drawer>
    </>
  );
}
