import { useMemo, useState } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Space, Table, Tag, Typography } from 'antd';
import { SafetyOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import { opsApi, type AuditEntry, type AuditVerify } from '../../api/ops.ts';
import { qk } from '../../lib/conversationCache.ts';
import { errorText } from '../../i18n/index.ts';
import { AdminOnly, dateTimeSec, PageHead, useOpsT } from './common.tsx';

const PAGE = 100;

export default function AuditPage() {
  const { t } = useOpsT();
  const [action, setAction] = useState('');
  const [verify, setVerify] = useState<AuditVerify | { error: string } | null>(null);
  const [checking, setChecking] = useState(false);
  const pages = useInfiniteQuery({
    queryKey: ['ops', 'audit', action],
    queryFn: ({ pageParam }) => opsApi.audit.list({ limit: PAGE, ...(action ? { action } : {}), ...(pageParam ? { beforeSeq: pageParam } : {}) }),
    initialPageParam: 0,
    getNextPageParam: (last) => (last.entries.length === PAGE ? last.entries[last.entries.length - 1]!.seq : undefined),
  });
  const entries = pages.data?.pages.flatMap((p) => p.entries) ?? [];
  const agents = useQuery({ queryKey: qk.agents, queryFn: api.agents.list });
  const names = useMemo(() => new Map((agents.data?.agents ?? []).map((a) => [a.id, a.name])), [agents.data]);
  // Actors are `a:<agent id>` or `system:<job>`; agents are shown by name, the id on hover.
  const who = (v: string | null) => {
    const name = v ? (names.get(v.replace(/^a:/, '')) ?? null) : null;
    return name ? (
      <Typography.Text title={v!}>{name}</Typography.Text>
    ) : (
      <Typography.Text className="ops-mono" ellipsis={{ tooltip: v }} style={{ maxWidth: 180 }}>
        {v ?? '—'}
      </Typography.Text>
    );
  };

  async function runVerify() {
    setChecking(true);
    try {
      setVerify(await opsApi.audit.verify());
    } catch (e) {
      setVerify({ error: errorText(e) });
    } finally {
      setChecking(false);
    }
  }

  return (
    <AdminOnly>
      <div className="ops-page" data-testid="ops-audit">
        <PageHead
          title={t('audit.title')}
          subtitle={t('audit.subtitle')}
          extra={
            <Button type="primary" icon={<SafetyOutlined />} loading={checking} onClick={() => void runVerify()} data-testid="audit-verify">
              {t('audit.verify')}
            </Button>
          }
        />
        {verify && (
          <Alert
            style={{ marginBottom: 16 }}
            showIcon
            data-testid="audit-verify-result"
            data-ok={'ok' in verify ? String(verify.ok) : 'false'}
            type={'ok' in verify && verify.ok ? 'success' : 'error'}
            message={'error' in verify ? verify.error : verify.ok ? t('audit.verifyOk', { count: verify.entries }) : t('audit.verifyBad', { seq: verify.firstBad, reason: verify.reason ?? '' })}
          />
        )}
        <Card variant="borderless">
          <Space style={{ marginBottom: 12 }}>
            <Input.Search allowClear placeholder={t('audit.filterAction')} onSearch={(v) => setAction(v.trim())} style={{ width: 280 }} className="ops-mono" />
          </Space>
          <Table<AuditEntry>
            rowKey="seq"
            size="small"
            loading={pages.isPending}
            dataSource={entries}
            pagination={false}
            data-testid="audit-table"
            columns={[
              { title: t('audit.seq'), dataIndex: 'seq', width: 80 },
              { title: t('audit.at'), dataIndex: 'at', width: 170, render: (v: string) => dateTimeSec(v) },
              { title: t('audit.actor'), dataIndex: 'actor', width: 180, render: (v: string) => who(v) },
              { title: t('audit.action'), dataIndex: 'action', width: 200, render: (v: string) => <Tag color="blue" className="ops-mono">{v}</Tag> },
              { title: t('audit.subject'), dataIndex: 'subject', width: 200, render: (v: string | null) => who(v) },
              {
                title: t('audit.data'),
                dataIndex: 'data',
                render: (d: Record<string, unknown>) => (
                  <Typography.Text className="ops-mono" ellipsis={{ tooltip: JSON.stringify(d, null, 1) }} style={{ maxWidth: 420 }}>
                    {Object.keys(d).length ? JSON.stringify(d) : '—'}
                  </Typography.Text>
                ),
              },
            ]}
          />
          {pages.hasNextPage && (
            <div style={{ textAlign: 'center', marginTop: 12 }}>
              <Button onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage}>
                {t('audit.loadMore')}
              </Button>
            </div>
          )}
        </Card>
      </div>
    </AdminOnly>
  );
}
