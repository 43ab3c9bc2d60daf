import { useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Empty, Segmented, Select, Tooltip, Typography } from 'antd';
import { MessageOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { InputRef } from 'antd';
import { BUSINESS_TYPES, type BusinessType, type ConversationStatus } from '@kefu/shared';
import { api, type ConversationFilter } from '../../api/client.ts';
import { qk } from '../../lib/conversationCache.ts';
import { useCommands, type Command } from '../../app/commands.ts';
import { ContactSearch } from './ContactSearch.tsx';
import { ConversationList } from './ConversationList.tsx';
import { ConversationView } from '../conversation/ConversationView.tsx';

type StatusFilter = ConversationStatus | 'all';
/** What the inbox shows first: open conversations of every business type. */
export const DEFAULT_FILTER: ConversationFilter = { status: 'open' };

export function InboxPage() {
  const { t } = useTranslation();
  const { conversationId } = useParams();
  const navigate = useNavigate();
  const [status, setStatus] = useState<StatusFilter>(DEFAULT_FILTER.status ?? 'all');
  const [businessType, setBusinessType] = useState<BusinessType | 'all'>('all');
  const searchRef = useRef<InputRef>(null);

  const filter: ConversationFilter = useMemo(
    () => ({ ...(status !== 'all' ? { status } : {}), ...(businessType !== 'all' ? { businessType } : {}) }),
    [status, businessType],
  );
  const list = useQuery({ queryKey: qk.conversations(filter), queryFn: () => api.conversations.list(filter) });
  const conversations = list.data?.conversations ?? [];

  const move = (delta: number) => {
    if (conversations.length === 0) return;
    const i = conversations.findIndex((c) => c.id === conversationId);
    const next = conversations[Math.min(conversations.length - 1, Math.max(0, i < 0 ? 0 : i + delta))];
    if (next) navigate(`/inbox/${next.id}`);
  };
  const commands: Command[] = [
    { id: 'conversation.next', labelKey: 'inbox.keyboardHint', hotkey: 'Alt+ArrowDown', perform: () => move(1) },
    { id: 'conversation.prev', labelKey: 'inbox.keyboardHint', hotkey: 'Alt+ArrowUp', perform: () => move(-1) },
    { id: 'conversation.nextPlain', labelKey: 'inbox.keyboardHint', hotkey: 'j', perform: () => move(1) },
    { id: 'conversation.prevPlain', labelKey: 'inbox.keyboardHint', hotkey: 'k', perform: () => move(-1) },
    { id: 'search.focus', labelKey: 'inbox.searchPlaceholder', hotkey: '/', perform: () => searchRef.current?.focus() },
  ];
  useCommands(commands);

  return (
    <div className={`inbox${conversationId ? ' has-conv' : ''}`}>
      <aside className="inbox-side">
        <div className="inbox-side-head">
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('inbox.title')}
          </Typography.Title>
          <Tooltip title={t('inbox.keyboardHint')} placement="right">
            <QuestionCircleOutlined className="inbox-hint" aria-label={t('inbox.keyboardHint')} />
          </Tooltip>
        </div>
        <ContactSearch ref={searchRef} />
        <div className="inbox-filters">
          <Segmented<StatusFilter>
            size="small"
            block
            value={status}
            onChange={setStatus}
            data-testid="status-filter"
            options={(['open', 'pending', 'resolved', 'all'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))}
          />
          <Select<BusinessType | 'all'>
            size="small"
            value={businessType}
            onChange={setBusinessType}
            style={{ width: '100%' }}
            data-testid="business-filter"
            options={[{ value: 'all' as const, label: t('businessType.all') }, ...BUSINESS_TYPES.map((b) => ({ value: b, label: t(`businessType.${b}`) }))]}
          />
        </div>
        <div className="inbox-list">
          <ConversationList
            conversations={conversations}
            loading={list.isPending}
            activeId={conversationId}
            filtered={status !== 'all' || businessType !== 'all'}
            onOpen={(id) => navigate(`/inbox/${id}`)}
          />
        </div>
      </aside>
      {conversationId ? (
        <ConversationView key={conversationId} conversationId={conversationId} />
      ) : (
        <section className="inbox-empty">
          <Empty
            image={<MessageOutlined style={{ fontSize: 64, color: '#bfbfbf' }} />}
            description={
              <>
                <div>{t('inbox.selectHint')}</div>
                <Typography.Text type="secondary">{t('inbox.selectHintSub')}</Typography.Text>
              </>
            }
          />
        </section>
      )}
    </div>
  );
}
