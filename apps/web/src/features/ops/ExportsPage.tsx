import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Progress, Radio, Select, Table, Tag } from 'antd';
import { DownloadOutlined, ExportOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { BUSINESS_TYPES, type BusinessType } from '@kefu/shared';
import { api } from '../../api/client.ts';
import { opsApi, opsKeys, type ExportInfo } from '../../api/ops.ts';
import { errorText } from '../../i18n/index.ts';
import { qk } from '../../lib/conversationCache.ts';
import { AdminOnly, dateTimeSec, PageHead, useOpsT } from './common.tsx';

interface ExportForm {
  range: [Dayjs, Dayjs];
  agentId?: string;
  businessType?: BusinessType;
  format: 'csv' | 'jsonl';
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function exportPercent(e: Pick<ExportInfo, 'status' | 'rows' | 'total'>): number {
  if (e.status === 'done') return 100;
  if (!e.total) return 0;
  return Math.min(99, Math.floor((e.rows / e.total) * 100));
}

function ExportProgress({ e }: { e: ExportInfo }) {
  const status = e.status === 'failed' ? 'exception' : e.status === 'done' ? 'success' : 'active';
  return <Progress percent={exportPercent(e)} status={status} size="small" style={{ minWidth: 160 }} data-testid="export-progress" data-status={e.status} />;
}

export default function ExportsPage() {
  const { t } = useOpsT();
  const { t: tt } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<ExportForm>();
  const [busy, setBusy] = useState(false);
  const [current, setCurrent] = useState<string | null>(null);
  const agents = useQuery({ queryKey: qk.agents, queryFn: api.agents.list });
  const list = useQuery({ queryKey: opsKeys.exports, queryFn: opsApi.exports.list });
  // The running export is polled until it finishes.
  const running = useQuery({
    queryKey: opsKeys.export(current ?? ''),
    queryFn: () => opsApi.exports.get(current!),
    enabled: !!current,
    refetchInterval: (q) => (q.state.data?.export.status === 'running' || !q.state.data ? 1000 : false),
  });
  const cur = running.data?.export;
  // When the running export finishes, the list learns its final size and status.
  const finished = cur && cur.status !== 'running' ? cur.id : null;
  useEffect(() => {
    if (finished) void qc.invalidateQueries({ queryKey: opsKeys.exports });
  }, [finished, qc]);

  async function start(v: ExportForm) {
    setBusy(true);
    try {
      const r = await opsApi.exports.start({
        from: v.range[0].startOf('day').toISOString(),
        to: v.range[1].endOf('day').toISOString(),
        format: v.format,
        ...(v.agentId ? { agentId: v.agentId } : {}),
        ...(v.businessType ? { businessType: v.businessType } : {}),
      });
      setCurrent(r.export.id);
      message.success(t('exports.started'));
      void qc.invalidateQueries({ queryKey: opsKeys.exports });
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const rows = (list.data?.exports ?? []).map((x) => (cur && x.id === cur.id ? cur : x));
  return (
    <AdminOnly>
      <div className="ops-page" data-testid="ops-exports">
        <PageHead title={t('exports.title')} subtitle={t('exports.subtitle')} />
        <Card variant="borderless">
          <Form<ExportForm> form={form} layout="inline" onFinish={(v) => void start(v)} initialValues={{ range: [dayjs().subtract(6, 'day'), dayjs()], format: 'csv' }} style={{ rowGap: 12 }}>
            <Form.Item name="range" label={t('exports.range')} rules={[{ required: true, message: t('common.required') }]}>
              <DatePicker.RangePicker allowClear={false} />
            </Form.Item>
            <Form.Item name="agentId" label={t('exports.agent')}>
              <Select allowClear placeholder={t('exports.allAgents')} style={{ width: 160 }} options={(agents.data?.agents ?? []).map((a) => ({ value: a.id, label: a.name }))} />
            </Form.Item>
            <Form.Item name="businessType" label={t('exports.businessType')}>
              <Select allowClear placeholder={t('exports.allTypes')} style={{ width: 150 }} options={BUSINESS_TYPES.map((b) => ({ value: b, label: tt(`businessType.${b}`) }))} />
            </Form.Item>
            <Form.Item name="format" label={t('exports.format')}>
              <Radio.Group optionType="button" options={[{ value: 'csv', label: 'CSV' }, { value: 'jsonl', label: 'JSONL' }]} />
            </Form.Item>
            <Button type="primary" htmlType="submit" icon={<ExportOutlined />} loading={busy} data-testid="export-start">
              {t('exports.start')}
            </Button>
          </Form>
        </Card>
        <Card variant="borderless" title={t('exports.history')}>
          <Table<ExportInfo>
            rowKey="id"
            loading={list.isPending}
            dataSource={rows}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            data-testid="exports-table"
            columns={[
              { title: t('exports.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => dateTimeSec(v) },
              { title: t('exports.range'), key: 'range', render: (_: unknown, e) => `${dayjs(e.filter.from).format('YYYY-MM-DD')} ~ ${dayjs(e.filter.to).format('YYYY-MM-DD')}` },
              { title: t('exports.format'), dataIndex: 'format', width: 80, render: (f: string) => <Tag>{f.toUpperCase()}</Tag> },
              { title: t('common.status'), dataIndex: 'status', width: 100, render: (s: ExportInfo['status']) => <Tag color={s === 'done' ? 'success' : s === 'failed' ? 'error' : 'processing'}>{t(`exports.status.${s}`)}</Tag> },
              { title: t('exports.progress'), key: 'p', width: 200, render: (_: unknown, e) => <ExportProgress e={e} /> },
              { title: t('exports.rows'), dataIndex: 'rows', width: 90 },
              { title: t('exports.size'), dataIndex: 'bytes', width: 100, render: (b: number) => bytes(b) },
              {
                title: t('common.actions'),
                key: 'a',
                width: 100,
                render: (_: unknown, e) =>
                  e.status === 'done' ? (
                    <Button type="link" size="small" icon={<DownloadOutlined />} href={opsApi.exports.downloadUrl(e.id)} data-testid="export-download">
                      {t('exports.download')}
                    </Button>
                  ) : null,
              },
            ]}
          />
        </Card>
      </div>
    </AdminOnly>
  );
}
