import { useState } from 'react';
import { useOutletContext } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Card, Form, Input, Modal, Result, Select, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { LIMITS, TIERS, type Agent, type Tier } from '@kefu/shared';
import { api, type AgentWithPresence, type CreateAgent } from '../../api/client.ts';
import { errorText } from '../../i18n/index.ts';
import { qk } from '../../lib/conversationCache.ts';
import { dateTime } from '../../lib/format.ts';

const TIER_COLOR: Record<Tier, string> = { basic: 'default', senior: 'blue', admin: 'gold' };

export function AgentsPage() {
  const { t } = useTranslation();
  const me = useOutletContext<Agent>();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<CreateAgent>();
  const agents = useQuery({ queryKey: qk.agents, queryFn: api.agents.list, enabled: me.tier === 'admin', refetchInterval: 30_000 });

  if (me.tier !== 'admin') return <Result status="403" title="403" subTitle={t('agents.adminOnly')} />;

  async function create(v: CreateAgent) {
    setBusy(true);
    try {
      await api.agents.create(v);
      message.success(t('agents.created'));
      setOpen(false);
      form.resetFields();
      void qc.invalidateQueries({ queryKey: qk.agents });
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy(false);
    }
  }

  const list = agents.data?.agents ?? [];
  const online = list.filter((a) => a.online).length;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('agents.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('agents.subtitle')}</Typography.Text>
        </div>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="create-agent">
          {t('agents.create')}
        </Button>
      </div>
      <Card variant="borderless" extra={<span data-testid="online-count">{t('agents.onlineCount', { online, total: list.length })}</span>}>
        <Table<AgentWithPresence>
          rowKey="id"
          loading={agents.isPending}
          dataSource={list}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          data-testid="agents-table"
          columns={[
            { title: t('agents.name'), dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
            { title: t('agents.email'), dataIndex: 'email' },
            { title: t('agents.tier'), dataIndex: 'tier', render: (v: Tier) => <Tag color={TIER_COLOR[v]}>{t(`tier.${v}`)}</Tag> },
            {
              title: t('agents.online'),
              dataIndex: 'online',
              render: (v: boolean, a) => (
                <span data-testid="agent-online" data-email={a.email} data-online={v}>
                  <Badge status={v ? 'success' : 'default'} text={v ? t('nav.online') : t('nav.offline')} />
                </span>
              ),
            },
            { title: t('agents.mfa'), dataIndex: 'totpEnrolled', render: (v: boolean) => (v ? <Tag color="green">{t('agents.enrolled')}</Tag> : <Tag>{t('agents.notEnrolled')}</Tag>) },
            { title: t('agents.createdAt'), dataIndex: 'createdAt', render: (v: string) => dateTime(v) },
          ]}
        />
      </Card>
      <Modal open={open} title={t('agents.create')} onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={busy} okText={t('app.confirm')} cancelText={t('app.cancel')} destroyOnHidden>
        <Form<CreateAgent> form={form} layout="vertical" onFinish={(v) => void create(v)} initialValues={{ tier: 'basic' }} requiredMark={false}>
          <Form.Item name="name" label={t('agents.name')} rules={[{ required: true, message: t('login.required') }, { max: 64 }]}>
            <Input data-testid="agent-name" />
          </Form.Item>
          <Form.Item name="email" label={t('agents.email')} rules={[{ required: true, message: t('login.required') }, { type: 'email', message: t('agents.emailInvalid') }]}>
            <Input data-testid="agent-email" />
          </Form.Item>
          <Form.Item name="tier" label={t('agents.tier')}>
            <Select options={TIERS.map((x) => ({ value: x, label: t(`tier.${x}`) }))} />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('agents.password')}
            extra={t('agents.passwordHint', { min: LIMITS.passwordMin })}
            rules={[{ required: true, message: t('login.required') }, { min: LIMITS.passwordMin, message: t('agents.passwordHint', { min: LIMITS.passwordMin }) }]}
          >
            <Input.Password data-testid="agent-password" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
