import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined, SafetyCertificateOutlined, StopOutlined, CheckCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { LIMITS, TIERS, type Tier } from '@kefu/shared';
import { api, type AgentWithPresence, type CreateAgent } from '../../api/client.ts';
import { opsApi } from '../../api/ops.ts';
import { errorText } from '../../i18n/index.ts';
import { qk } from '../../lib/conversationCache.ts';
import { AdminOnly, dateTimeSec, PageHead, useOpsAgent, useOpsT } from './common.tsx';

const TIER_COLOR: Record<Tier, string> = { basic: 'default', senior: 'blue', admin: 'gold' };

export default function AgentsAdminPage() {
  const { t } = useOpsT();
  const { t: tt } = useTranslation();
  const me = useOpsAgent();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const agents = useQuery({ queryKey: qk.agents, queryFn: api.agents.list, enabled: me.tier === 'admin', refetchInterval: 30_000 });
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<CreateAgent>();

  const refresh = () => void qc.invalidateQueries({ queryKey: qk.agents });
  async function run(fn: () => Promise<unknown>, done: string) {
    try {
      await fn();
      message.success(done);
      refresh();
    } catch (e) {
      message.error(errorText(e));
    }
  }

  async function create(v: CreateAgent) {
    setBusy(true);
    try {
      await api.agents.create(v);
      message.success(t('agents.created'));
      setOpen(false);
      form.resetFields();
      refresh();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const toggle = (a: AgentWithPresence) =>
    modal.confirm({
      title: t(a.disabled ? 'agents.enableTitle' : 'agents.disableTitle', { name: a.name }),
      content: t(a.disabled ? 'agents.enableBody' : 'agents.disableBody'),
      okText: t(a.disabled ? 'agents.enable' : 'agents.disable'),
      okButtonProps: { danger: !a.disabled, 'data-testid': 'confirm-ok' } as never,
      cancelText: t('common.cancel'),
      onOk: () => run(() => opsApi.agents.update(a.id, { disabled: !a.disabled }), t(a.disabled ? 'agents.enabledDone' : 'agents.disabledDone', { name: a.name })),
    });

  const resetMfa = (a: AgentWithPresence) =>
    modal.confirm({
      title: t('agents.resetMfaTitle', { name: a.name }),
      content: t('agents.resetMfaBody'),
      okText: t('agents.resetMfa'),
      okButtonProps: { danger: true, 'data-testid': 'confirm-ok' } as never,
      cancelText: t('common.cancel'),
      onOk: () => run(() => opsApi.agents.resetMfa(a.id), t('agents.resetMfaDone', { name: a.name })),
    });

  const list = agents.data?.agents ?? [];
  return (
    <AdminOnly>
      <div className="ops-page" data-testid="ops-agents">
        <PageHead
          title={t('agents.title')}
          subtitle={t('agents.subtitle')}
          extra={
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
              {t('agents.create')}
            </Button>
          }
        />
        <Card variant="borderless">
          <Table<AgentWithPresence>
            rowKey="id"
            loading={agents.isPending}
            dataSource={list}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              {
                title: t('agents.name'),
                dataIndex: 'name',
                render: (v: string, a) => (
                  <Space>
                    <Typography.Text strong>{v}</Typography.Text>
                    {a.id === me.id && <Tag>{t('agents.self')}</Tag>}
                  </Space>
                ),
              },
              { title: t('agents.email'), dataIndex: 'email' },
              {
                title: t('agents.tier'),
                dataIndex: 'tier',
                render: (v: Tier, a) =>
                  a.id === me.id ? (
                    <Tag color={TIER_COLOR[v]}>{tt(`tier.${v}`)}</Tag>
                  ) : (
                    <Select<Tier>
                      size="small"
                      value={v}
                      style={{ width: 130 }}
                      data-testid={`tier-${a.email}`}
                      aria-label={t('agents.changeTier')}
                      onChange={(tier) => void run(() => opsApi.agents.update(a.id, { tier }), t('agents.tierChanged', { name: a.name, tier: tt(`tier.${tier}`) }))}
                      options={TIERS.map((x) => ({ value: x, label: tt(`tier.${x}`) }))}
                    />
                  ),
              },
              {
                title: t('agents.state'),
                dataIndex: 'disabled',
                render: (d: boolean, a) =>
                  d ? (
                    <Badge status="error" text={t('agents.disabled')} />
                  ) : (
                    <Badge status={a.online ? 'success' : 'default'} text={`${t('agents.enabled')} · ${a.online ? t('agents.online') : t('agents.offline')}`} />
                  ),
              },
              { title: t('agents.mfa'), dataIndex: 'totpEnrolled', render: (v: boolean) => (v ? <Tag color="green">{t('agents.enrolled')}</Tag> : <Tag>{t('agents.notEnrolled')}</Tag>) },
              { title: t('agents.createdAt'), dataIndex: 'createdAt', render: (v: string) => dateTimeSec(v) },
              {
                title: t('common.actions'),
                key: 'actions',
                render: (_: unknown, a) =>
                  a.id === me.id ? null : (
                    <Space size={0}>
                      <Button type="link" size="small" danger={!a.disabled} icon={a.disabled ? <CheckCircleOutlined /> : <StopOutlined />} onClick={() => toggle(a)} data-testid={`toggle-${a.email}`}>
                        {a.disabled ? t('agents.enable') : t('agents.disable')}
                      </Button>
                      <Button type="link" size="small" icon={<SafetyCertificateOutlined />} disabled={!a.totpEnrolled} onClick={() => resetMfa(a)} data-testid={`reset-mfa-${a.email}`}>
                        {t('agents.resetMfa')}
                      </Button>
                    </Space>
                  ),
              },
            ]}
          />
        </Card>
        <Modal open={open} title={t('agents.create')} onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={busy} okText={t('common.confirm')} cancelText={t('common.cancel')} destroyOnHidden>
          <Form<CreateAgent> form={form} layout="vertical" onFinish={(v) => void create(v)} initialValues={{ tier: 'basic' }} requiredMark={false}>
            <Form.Item name="name" label={t('agents.name')} rules={[{ required: true, message: t('common.required') }, { max: 64 }]}>
              <Input />
            </Form.Item>
            <Form.Item name="email" label={t('agents.email')} rules={[{ required: true, message: t('common.required') }, { type: 'email', message: t('agents.emailInvalid') }]}>
              <Input />
            </Form.Item>
            <Form.Item name="tier" label={t('agents.tier')}>
              <Select options={TIERS.map((x) => ({ value: x, label: tt(`tier.${x}`) }))} />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('agents.password')}
              extra={t('agents.passwordHint', { min: LIMITS.passwordMin })}
              rules={[{ required: true, message: t('common.required') }, { min: LIMITS.passwordMin, message: t('agents.passwordHint', { min: LIMITS.passwordMin }) }]}
            >
              <Input.Password />
            </Form.Item>
          </Form>
        </Modal>
      </div>
    </AdminOnly>
  );
}
