import { useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Col, Form, Input, InputNumber, Row, Select, Space, Switch, Table, Tag, TimePicker, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { TIERS, type Tier } from '@kefu/shared';
import { api } from '../../api/client.ts';
import { opsApi, opsKeys, type OrgPolicy, type PolicyChange, type PolicyPatch } from '../../api/ops.ts';
import { errorText } from '../../i18n/index.ts';
import { qk } from '../../lib/conversationCache.ts';
import { aboveCeiling, policyPatch, POLICY_FIELDS, type Policies, type PolicyField } from './policyRules.ts';
import { AdminOnly, dateTimeSec, PageHead, useOpsT } from './common.tsx';

const TIER_COLOR: Record<Tier, string> = { basic: 'default', senior: 'blue', admin: 'gold' };

/** The three tiers side by side, each value editable only down to (never above) its ceiling. */
export function PolicyForm({ policy, onSave, saving }: { policy: Pick<OrgPolicy, 'policies' | 'ceiling'>; onSave: (patch: PolicyPatch) => void; saving?: boolean }) {
  const { t } = useOpsT();
  const { t: tt } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Policies>();
  const ceiling = policy.ceiling as Policies;

  const show = (f: PolicyField, v: unknown): string => {
    if (f === 'dailyMessages') return v === null ? t('common.unlimited') : String(v);
    if (f === 'bypassesPerDay') return String(v);
    if (f === 'attachments') return t(`policy.attach.${v as string}`);
    return v ? t('common.yes') : t('common.no');
  };

  const cell = (tier: Tier, f: PolicyField) => {
    const c = ceiling[tier][f];
    const rule = {
      validator: async (_: unknown, v: unknown) => {
        if (aboveCeiling(f, v, c)) throw new Error(t('policy.aboveCeiling', { ceiling: show(f, c) }));
      },
    };
    let input: React.ReactNode;
    if (f === 'dailyMessages')
      input = <InputNumber min={0} precision={0} style={{ width: 120 }} placeholder={t('common.unlimited')} data-testid={`policy-${tier}-${f}`} />;
    else if (f === 'bypassesPerDay') input = <InputNumber min={0} precision={0} style={{ width: 120 }} data-testid={`policy-${tier}-${f}`} />;
    else if (f === 'attachments')
      input = (
        <Select
          style={{ width: 160 }}
          data-testid={`policy-${tier}-${f}`}
          options={(['images', 'images_video', 'all'] as const).map((v) => ({ value: v, label: t(`policy.attach.${v}`), disabled: aboveCeiling(f, v, c) }))}
        />
      );
    else input = <Switch disabled={c !== true} data-testid={`policy-${tier}-${f}`} />;
    return (
      <div>
        <Form.Item name={[tier, f]} rules={[rule]} valuePropName={f === 'dailyMessages' || f === 'bypassesPerDay' || f === 'attachments' ? 'value' : 'checked'}>
          {input}
        </Form.Item>
        <Typography.Text className="ops-ceiling" style={{ fontSize: 12 }}>
          {typeof c === 'boolean' && !c ? t('policy.notAllowedByCeiling') : t('common.labelled', { label: t('policy.ceiling'), value: show(f, c) })}
        </Typography.Text>
      </div>
    );
  };

  const submit = (values: Policies) => {
    // Fields the form never touched keep their value: merge onto what the server holds.
    const merged = Object.fromEntries(TIERS.map((tier) => [tier, { ...policy.policies[tier], ...values[tier] }])) as Policies;
    const patch = policyPatch(policy.policies as Policies, merged);
    if (!patch) {
      message.info(t('policy.noChange'));
      return;
    }
    onSave(patch);
  };

  return (
    <Form<Policies> form={form} initialValues={policy.policies} onFinish={submit} className="ops-policy-table" data-testid="policy-form">
      <Table
        rowKey="field"
        pagination={false}
        size="middle"
        bordered
        dataSource={POLICY_FIELDS.map((field) => ({ field }))}
        columns={[
          { title: t('policy.rule'), dataIndex: 'field', width: 220, render: (f: PolicyField) => <Typography.Text strong>{t(`policy.${f}`)}</Typography.Text> },
          ...TIERS.map((tier) => ({
            title: <Tag color={TIER_COLOR[tier]}>{tt(`tier.${tier}`)}</Tag>,
            key: tier,
            width: '26%',
            render: (_: unknown, r: { field: PolicyField }) => cell(tier, r.field),
          })),
        ]}
      />
      <div style={{ marginTop: 16, textAlign: 'right' }}>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="policy-save">
          {t('policy.save')}
        </Button>
      </div>
    </Form>
  );
}

const HOST_RE = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

function LinksAndHours({ policy, onSave, saving }: { policy: OrgPolicy; onSave: (p: PolicyPatch) => void; saving: boolean }) {
  const { t } = useOpsT();
  const [hosts, setHosts] = useState(policy.linkAllowHosts.join('\n'));
  const [days, setDays] = useState<number[]>(policy.workingHours.days);
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs(policy.workingHours.start, 'HH:mm'), dayjs(policy.workingHours.end, 'HH:mm')]);
  const lines = hosts.split('\n').map((h) => h.trim());
  const bad = lines.map((h, i) => ({ h, line: i + 1 })).filter((x) => x.h && !HOST_RE.test(x.h));
  return (
    <Row gutter={16}>
      <Col xs={24} lg={12}>
        <Card title={t('policy.links')} variant="borderless">
          <Typography.Paragraph type="secondary">{t('policy.linksHelp')}</Typography.Paragraph>
          <Input.TextArea rows={5} value={hosts} onChange={(e) => setHosts(e.target.value)} placeholder="example.com" data-testid="policy-hosts" />
          {bad.map((b) => (
            <Typography.Text key={b.line} type="danger" style={{ display: 'block' }}>
              {t('policy.hostInvalid', { line: b.line, host: b.h })}
            </Typography.Text>
          ))}
          <div style={{ marginTop: 12, textAlign: 'right' }}>
            <Button type="primary" disabled={bad.length > 0} loading={saving} onClick={() => onSave({ linkAllowHosts: [...new Set(lines.filter(Boolean).map((h) => h.toLowerCase()))] })}>
              {t('common.save')}
            </Button>
          </div>
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t('policy.hours')} variant="borderless">
          <Typography.Paragraph type="secondary">{t('policy.hoursHelp')}</Typography.Paragraph>
          <Space direction="vertical" style={{ width: '100%' }}>
            <div>
              <Typography.Text strong>{t('common.labelled', { label: t('policy.days'), value: '' })}</Typography.Text>
              <Checkbox.Group value={days} onChange={(v) => setDays(v as number[])} options={[1, 2, 3, 4, 5, 6, 0].map((d) => ({ value: d, label: t(`policy.weekday.${d}`) }))} />
            </div>
            <TimePicker.RangePicker format="HH:mm" minuteStep={15} value={range} allowClear={false} onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])} placeholder={[t('policy.start'), t('policy.end')]} />
          </Space>
          <div style={{ marginTop: 12, textAlign: 'right' }}>
            <Button type="primary" loading={saving} onClick={() => onSave({ workingHours: { days: [...days].sort(), start: range[0].format('HH:mm'), end: range[1].format('HH:mm') } })}>
              {t('common.save')}
            </Button>
          </div>
        </Card>
      </Col>
    </Row>
  );
}

function valueText(v: unknown, t: (k: string) => string): string {
  if (v === null) return t('common.unlimited');
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (typeof v === 'string' && ['images', 'images_video', 'all'].includes(v)) return t(`policy.attach.${v}`);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function ChangeLog() {
  const { t } = useOpsT();
  const { t: tt } = useTranslation();
  const changes = useQuery({ queryKey: opsKeys.policyChanges, queryFn: opsApi.policy.changes });
  const agents = useQuery({ queryKey: qk.agents, queryFn: api.agents.list });
  const names = useMemo(() => new Map((agents.data?.agents ?? []).map((a) => [a.id, a.name])), [agents.data]);
  const fieldLabel = (f: string) => {
    const [tier, rule] = f.split('.');
    if (rule && (TIERS as readonly string[]).includes(tier!)) return `${tt(`tier.${tier}`)} · ${t(`policy.${rule}`)}`;
    if (f === 'linkAllowHosts') return t('policy.links');
    if (f === 'workingHours') return t('policy.hours');
    return f;
  };
  return (
    <Card title={t('policy.changes')} variant="borderless">
      <Table<PolicyChange>
        rowKey="id"
        size="small"
        loading={changes.isPending}
        dataSource={changes.data?.changes ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        data-testid="policy-changes"
        columns={[
          { title: t('policy.when'), dataIndex: 'createdAt', width: 180, render: (v: string) => dateTimeSec(v) },
          { title: t('policy.who'), dataIndex: 'actorId', width: 140, render: (v: string) => names.get(v) ?? v },
          { title: t('policy.field'), dataIndex: 'field', render: fieldLabel },
          {
            title: `${t('policy.oldValue')} → ${t('policy.newValue')}`,
            key: 'diff',
            render: (_: unknown, c) => (
              <span data-testid="policy-change">
                <Typography.Text delete type="secondary">
                  {valueText(c.oldValue, t)}
                </Typography.Text>
                {' → '}
                <Typography.Text strong>{valueText(c.newValue, t)}</Typography.Text>
              </span>
            ),
          },
        ]}
      />
    </Card>
  );
}

export default function PolicyPage() {
  const { t } = useOpsT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const policy = useQuery({ queryKey: opsKeys.policy, queryFn: opsApi.policy.get });
  const [saving, setSaving] = useState(false);
  // A new key after each save remounts the forms on the server's answer.
  const [version, setVersion] = useState(0);

  async function save(patch: PolicyPatch) {
    setSaving(true);
    try {
      const next = await opsApi.policy.update(patch);
      qc.setQueryData(opsKeys.policy, next);
      void qc.invalidateQueries({ queryKey: opsKeys.policyChanges });
      setVersion((v) => v + 1);
      message.success(t('policy.saved'));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <AdminOnly>
      <div className="ops-page" data-testid="ops-policy">
        <PageHead title={t('policy.title')} subtitle={t('policy.subtitle')} />
        {policy.data && (
          <>
            <Card variant="borderless">
              <PolicyForm key={`f${version}`} policy={policy.data} onSave={(p) => void save(p)} saving={saving} />
            </Card>
            <div style={{ marginTop: 16 }}>
              <LinksAndHours key={`l${version}`} policy={policy.data} onSave={(p) => void save(p)} saving={saving} />
            </div>
          </>
        )}
        <div style={{ marginTop: 16 }}>
          <ChangeLog />
        </div>
      </div>
    </AdminOnly>
  );
}
