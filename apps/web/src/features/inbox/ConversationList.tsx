import { Avatar, Badge, Empty, Skeleton, Tag, Typography } from 'antd';
import { UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '@kefu/shared';
import { shortTime } from '../../lib/format.ts';
import { useContactTyping } from '../../realtime/context.tsx';

const BT_COLOR: Record<Conversation['businessType'], string> = {
  ecommerce_after_sales: 'orange',
  content_review: 'purple',
  account_ban: 'red',
};
// Static dots: antd's 'processing' badge pulses forever, repainting every row on every frame.
const STATUS_COLOR: Record<Conversation['status'], string> = { open: '#1677ff', pending: '#faad14', resolved: '#bfbfbf' };

function Row({ c, active, onOpen }: { c: Conversation; active: boolean; onOpen: () => void }) {
  const { t } = useTranslation();
  const typing = useContactTyping(c.id);
  const name = c.contact?.nickname ?? c.contactId;
  return (
    <li
      className={`conv-row${active ? ' active' : ''}`}
      onClick={onOpen}
      data-testid="conversation-row"
      data-conversation-id={c.id}
      data-unread={c.unreadCount}
      aria-selected={active}
      role="option"
    >
      <Badge count={c.unreadCount} size="small" offset={[-4, 4]} data-testid="unread-badge">
        <Avatar src={c.contact?.avatarUrl ?? undefined} icon={<UserOutlined />} size={40}>
          {name.slice(0, 1)}
        </Avatar>
      </Badge>
      <div className="conv-main">
        <div className="conv-line">
          <Typography.Text strong ellipsis className="conv-name">
            {name}
          </Typography.Text>
          <span className="conv-time">{shortTime(c.lastMessageAt ?? c.updatedAt, t)}</span>
        </div>
        <div className="conv-line">
          <Typography.Text type={typing ? 'success' : 'secondary'} ellipsis className="conv-preview" data-testid="conversation-preview">
            {typing ? t('conversation.typing') : c.lastMessagePreview ?? t('inbox.noMessages')}
          </Typography.Text>
        </div>
        <div className="conv-tags">
          <Tag color={BT_COLOR[c.businessType]} bordered={false}>
            {t(`businessType.${c.businessType}`)}
          </Tag>
          <Badge color={STATUS_COLOR[c.status]} text={<span className="conv-status">{t(`status.${c.status}`)}</span>} />
        </div>
      </div>
    </li>
  );
}

export function ConversationList({
  conversations,
  loading,
  activeId,
  filtered,
  onOpen,
}: {
  conversations: Conversation[];
  loading: boolean;
  activeId: string | undefined;
  filtered: boolean;
  onOpen: (id: string) => void;
}) {
  const { t } = useTranslation();
  if (loading) return <Skeleton active avatar paragraph={{ rows: 2 }} className="conv-skeleton" />;
  if (conversations.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filtered ? t('inbox.emptyFiltered') : t('inbox.empty')} className="conv-empty" />;
  return (
    <ul className="conv-list" role="listbox" data-testid="conversation-list">
      {conversations.map((c) => (
        <Row key={c.id} c={c} active={c.id === activeId} onOpen={() => onOpen(c.id)} />
      ))}
    </ul>
  );
}
