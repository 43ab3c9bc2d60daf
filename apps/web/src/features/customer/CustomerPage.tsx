import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, Avatar, Result, Spin } from 'antd';
import { CustomerServiceFilled, DisconnectOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { LIMITS, isErrorBody, type Conversation, type Message } from '@kefu/shared';
import { customerApi, type CustomerApi } from '../../api/client.ts';
import { errorText } from '../../i18n/index.ts';
import { fillGap } from '../../lib/gap.ts';
import { newClientMessageId } from '../../lib/ids.ts';
import { MessageStore, type PendingMessage } from '../../lib/messageStore.ts';
import { sendThrough } from '../../lib/send.ts';
import { connectSocket, type KefuSocket } from '../../realtime/socket.ts';
import { useMessages } from '../../realtime/context.tsx';
import { LanguageSwitch } from '../../app/LanguageSwitch.tsx';
import { Composer } from '../conversation/Composer.tsx';
import { MessageList } from '../conversation/MessageList.tsx';

type Conn = 'connecting' | 'online' | 'offline';

/**
 * The customer's chat page (H5), opened from the platform's app with a signed token. Mobile
 * first; survives a dropped network: on reconnect it asks for everything after its last seq,
 * and the store's merge by seq guarantees each missed message appears exactly once.
 */
export default function CustomerPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const client: CustomerApi = useMemo(() => customerApi(token), [token]);
  const store = useMemo(() => new MessageStore(), []);
  const snap = useMessages(store);
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [conn, setConn] = useState<Conn>('connecting');
  const [agentTyping, setAgentTyping] = useState(false);
  const [agentReadSeq, setAgentReadSeq] = useState(0);
  const socketRef = useRef<KefuSocket | null>(null);
  const convRef = useRef<Conversation | null>(null);
  convRef.current = conversation;
  const readSent = useRef(0);
  const refreshSessionRef = useRef<() => void>(() => undefined);
  const deliveredSent = useRef(0);

  const fetchAfter = useCallback((afterSeq: number) => client.messages({ afterSeq, limit: 200 }), [client]);

  // Tell the agent what reached the phone, and what was seen (only while the page is visible).
  const acknowledge = useCallback(() => {
    let last = 0;
    const msgs = store.getSnapshot().messages;
    for (let i = msgs.length - 1; i >= 0; i--)
      if (msgs[i]!.direction === 'outbound') {
        last = msgs[i]!.seq;
        break;
      }
    if (last > deliveredSent.current) {
      deliveredSent.current = last;
      client.receipt({ kind: 'delivered', uptoSeq: last }).catch(() => (deliveredSent.current = 0));
    }
    if (last > readSent.current && document.visibilityState === 'visible') {
      readSent.current = last;
      client.receipt({ kind: 'read', uptoSeq: last }).catch(() => (readSent.current = 0));
    }
  }, [client, store]);

  useEffect(() => {
    if (!token) return;
    let live = true;
    let typingTimer: ReturnType<typeof setTimeout> | undefined;

    // The conversation exists only once someone wrote: until then, learn it from the session.
    const refreshSession = async () => {
      const s2 = await client.session();
      if (!live) return;
      if (s2.conversation) {
        convRef.current = s2.conversation;
        setConversation(s2.conversation);
        setAgentReadSeq((v) => Math.max(v, s2.conversation!.agentReadSeq));
      }
      store.merge(s2.messages);
    };
    refreshSessionRef.current = () => void refreshSession().then(acknowledge, () => undefined);

    const catchUp = async () => {
      const conv = convRef.current;
      const socket = socketRef.current;
      if (!conv) {
        await refreshSession().catch(() => undefined);
        acknowledge();
        return;
      }
      if (socket?.connected && store.lastSeq > 0) {
        const reply = await new Promise<{ messages: Message[] } | null>((resolve) => {
          const timer = setTimeout(() => resolve(null), 5000);
          socket.emit('sync', { since: { [conv.id]: store.contiguousSeq } }, (r) => {
            clearTimeout(timer);
            resolve(isErrorBody(r) ? null : r);
          });
        });
        if (reply) store.merge(reply.messages.filter((m) => m.conversationId === conv.id));
      }
      await fillGap(store, fetchAfter).catch(() => undefined);
      acknowledge();
    };

    client
      .session()
      .then((s) => {
        if (!live) return;
        setConversation(s.conversation);
        convRef.current = s.conversation;
        store.merge(s.messages);
        store.setHasMoreBefore((s.messages[0]?.seq ?? 1) > 1);
        setAgentReadSeq(s.conversation?.agentReadSeq ?? 0);
        setLoaded(true);
        acknowledge();
        const socket = connectSocket({ token });
        socketRef.current = socket;
        socket.on('connect', () => {
          setConn('online');
          // Messages sent while the socket was being set up, or while it was down.
          void catchUp();
        });
        socket.on('disconnect', () => setConn('offline'));
        socket.on('connect_error', (e) => {
          setConn('offline');
          if (/token/i.test(e.message)) setError(e);
        });
        socket.on('message.created', ({ conversationId, message }) => {
          if (!convRef.current) {
            // The first message of a conversation the agent just opened.
            store.merge([message]);
            void refreshSession().then(acknowledge, () => undefined);
            return;
          }
          if (conversationId !== convRef.current.id) return;
          store.merge([message]);
          if (message.direction === 'outbound') setAgentTyping(false);
          if (store.hasGap) void fillGap(store, fetchAfter).then(acknowledge, () => undefined);
          else acknowledge();
        });
        socket.on('message.receipt', (e) => {
          if (e.side === 'agent' && e.kind === 'read') setAgentReadSeq((v) => Math.max(v, e.uptoSeq));
        });
        socket.on('conversation.updated', ({ conversation }) => {
          if (convRef.current && conversation.id !== convRef.current.id) return;
          convRef.current = conversation;
          setConversation(conversation);
          setAgentReadSeq((v) => Math.max(v, conversation.agentReadSeq));
          if (conversation.lastSeq > store.lastSeq) {
            store.noteLastSeq(conversation.lastSeq);
            void fillGap(store, fetchAfter).then(acknowledge, () => undefined);
          }
        });
        socket.on('typing', (e) => {
          if (e.side !== 'agent') return;
          setAgentTyping(e.typing);
          clearTimeout(typingTimer);
          if (e.typing) typingTimer = setTimeout(() => setAgentTyping(false), LIMITS.typingTtlMs);
        });
        socket.on('session.ended', () => setError(new Error('INVALID_TOKEN')));
      })
      .catch((e) => live && setError(e));

    // A phone that loses its network: drop the socket at once instead of waiting for ping
    // timeouts, and reconnect (then fill the gap) as soon as the network is back.
    const offline = () => {
      socketRef.current?.disconnect();
      setConn('offline');
    };
    const online = () => {
      if (socketRef.current && !socketRef.current.connected) {
        setConn('connecting');
        socketRef.current.connect();
      }
    };
    const visible = () => acknowledge();
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
    document.addEventListener('visibilitychange', visible);
    return () => {
      live = false;
      clearTimeout(typingTimer);
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
      document.removeEventListener('visibilitychange', visible);
      socketRef.current?.disconnect();
      socketRef.current = null;
    };
  }, [token, client, store, fetchAfter, acknowledge]);

  const send = useCallback(
    (text: string, id = newClientMessageId('c')) => {
      void sendThrough(store, id, text, client.send).then((r) => {
        if (r.ok && !convRef.current) refreshSessionRef.current();
      });
    },
    [store, client],
  );
  const retry = useCallback((p: PendingMessage) => send(p.text, p.clientMessageId), [send]);
  const loadEarlier = useCallback(async () => {
    if (store.firstSeq <= 1) return store.setHasMoreBefore(false);
    const page = await client.messages({ beforeSeq: store.firstSeq, limit: 100 });
    store.merge(page.messages);
    store.setHasMoreBefore(page.hasMore && store.firstSeq > 1);
  }, [client, store]);

  if (!token || error) {
    const code = error instanceof Error && error.message === 'INVALID_TOKEN' ? t('errors.INVALID_TOKEN') : error ? errorText(error, t) : t('errors.INVALID_TOKEN');
    return (
      <div className="cust">
        <Result status="warning" title={code} subTitle={t('customer.invalidLink')} data-testid="customer-error" />
      </div>
    );
  }

  return (
    <div className="cust" data-testid="customer-page" data-conn={conn}>
      <header className="cust-head">
        <Avatar size={36} icon={<CustomerServiceFilled />} style={{ background: '#1677ff' }} />
        <div className="cust-head-main">
          <div className="cust-title">{t('customer.title')}</div>
          <div className="cust-sub">{agentTyping ? <span data-testid="agent-typing">{t('conversation.agentTyping')}</span> : t('customer.subtitle')}</div>
        </div>
        <LanguageSwitch size="small" />
      </header>
      {conn === 'offline' && (
        <Alert type="warning" banner showIcon icon={<DisconnectOutlined />} title={t('customer.reconnecting')} data-testid="customer-offline" />
      )}
      {!loaded ? (
        <div className="cust-loading">
          <Spin />
        </div>
      ) : (
        <MessageList
          snapshot={snap}
          perspective="contact"
          otherReadSeq={agentReadSeq}
          loadEarlier={loadEarlier}
          onRetry={retry}
          names={{ theirs: t('customer.agent') }}
          className="cust-messages"
          footer={snap.messages.length === 0 && snap.pending.length === 0 ? <div className="cust-welcome">{t('customer.welcome')}</div> : null}
        />
      )}
      <div className="cust-composer">
        <Composer
          compact
          placeholder={t('customer.placeholder')}
          disabled={!loaded}
          onSend={(text) => send(text)}
          onTyping={(on) => conversation && socketRef.current?.connected && socketRef.current.emit('typing', { conversationId: conversation.id, typing: on })}
        />
      </div>
    </div>
  );
}
