import { useQuery } from '@tanstack/react-query';
import { Avatar, Card, Descriptions, Empty, Skeleton, Tag, Typography } from 'antd';
import { UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Contact, Conversation, Order } from '@kefu/shared';
import { api } from '../../api/client.ts';
import { qk } from '../../lib/conversationCache.ts';
import { dateTime, money } from '../../lib/format.ts';

const ORDER_COLOR: Partial<Record<Order['status'], string>> = {
  pending_payment: 'default',
  paid: 'blue',
  shipped: 'cyan',
  delivered: 'green',
  completed: 'green',
  refunding: 'orange',
  refunded: 'purple',
  cancelled: 'default',
};

function OrderCard({ o }: { o: Order }) {
  const { t, i18n } = useTranslation();
  return (
    <Card size="small" className="order-card" data-testid="order-card">
      <div className="order-head">
        <Typography.Text copyable={{ text: o.orderNo }} className="order-no">
          {o.orderNo}
        </Typography.Text>
        <Tag color={ORDER_COLOR[o.status]} bordered={false}>
          {t(`orderStatus.${o.status}`)}
        </Tag>
      </div>
      {o.items.map((it, i) => (
        <div className="order-item" key={i}>
          <Typography.Text ellipsis className="order-item-name">
            {it.name}
          </Typography.Text>
          <span className="order-item-qty">{t('contact.quantity', { count: it.quantity })}</span>
        </div>
      ))}
      <div className="order-foot">
        <Typography.Text type="secondary">{dateTime(o.createdAt)}</Typography.Text>
        <Typography.Text strong>
          {t('contact.amount')} {money(o.amount, i18n.language)}
        </Typography.Text>
      </div>
    </Card>
  );
}

export function ContactPanel({ contact, conversation }: { contact: Contact | undefined; conversation: Conversation | undefined }) {
  const { t } = useTranslation();
  const orders = useQuery({
    queryKey: qk.orders(contact?.id ?? ''),
    queryFn: () => api.contacts.orders(contact!.id),
    enabled: !!contact,
  });
  if (!contact) return <aside className="contact-panel"><Skeleton active avatar /></aside>;
  return (
    <aside className="contact-panel" data-testid="contact-panel">
      <div className="contact-head">
        <Avatar size={48} src={contact.avatarUrl ?? undefined} icon={<UserOutlined />} />
        <div>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {contact.nickname}
          </Typography.Title>
          <Typography.Text type="secondary">{contact.platformId}</Typography.Text>
        </div>
      </div>
      <Typography.Text strong className="panel-title">
        {t('contact.title')}
      </Typography.Text>
      <Descriptions column={1} size="small" className="contact-desc">
        <Descriptions.Item label={t('contact.platformId')}>{contact.platformId}</Descriptions.Item>
        <Descriptions.Item label={t('contact.phone')}>
          <span data-testid="contact-phone">{contact.phoneMasked ?? t('app.none')}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('contact.since')}>{dateTime(contact.createdAt)}</Descriptions.Item>
        {conversation && <Descriptions.Item label={t('contact.businessType')}>{t(`businessType.${conversation.businessType}`)}</Descriptions.Item>}
        {conversation && <Descriptions.Item label={t('contact.channel')}>{t(`channel.${conversation.channel}`)}</Descriptions.Item>}
      </Descriptions>
      <Typography.Text strong className="panel-title">
        {t('contact.orders')} {orders.data ? `(${orders.data.orders.length})` : ''}
      </Typography.Text>
      <div className="orders" data-testid="orders">
        {orders.isPending ? (
          <Skeleton active paragraph={{ rows: 3 }} />
        ) : orders.data && orders.data.orders.length > 0 ? (
          orders.data.orders.map((o) => <OrderCard key={o.id} o={o} />)
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('contact.ordersEmpty')} />
        )}
      </div>
    </aside>
  );
}
