import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { VIOLATION_TYPES } from '@kefu/shared';
import { opsApi, opsKeys, type Violation } from '../../api/ops.ts';
import { errorText } from '../../i18n/index.ts';
import { Deadline } from './ReviewPage.tsx';
import { dateTimeSec, PageHead, useOpsAgent, useOpsT } from './common.tsx';

const APPEAL_COLOR = { none: 'default', pending: 'processing', upheld: 'error', overturned: 'success' } as const;

export default function ViolationsPage() {
  const { t } = useOpsT();
  const me = useOpsAgent();
  const { message } = App.useApp();
  const qc = useQueryClient();
  // Admins see everyone's record through the same route; this page is the agent's own.
  const list = useQuery({ queryKey: opsKeys.violations(me.id), queryFn: () => opsApi.violations.list(me.id), refetchInterval: 15_000 });
  const [appealing, setAppealing] = useState<Violation | null>(null);
  const [statement, setStatement] = useState('');
  const [busy, setBusy] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(id);
  }, []);

  async function submit() {
    if (!appealing) return;
    setBusy(true);
    try {
      await opsApi.violations.appeal(appealing.id, statement.trim());
      message.success(t('violations.appealed'));
      setAppealing(null);
      void qc.invalidateQueries({ queryKey: opsKeys.violations(me.id) });
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="ops-page" data-testid="ops-violations">
      <PageHead title={t('violations.title')} subtitle={t('violations.subtitle')} />
      <Card variant="borderless">
        <Table<Violation>
          rowKey="id"
          loading={list.isPending}
          dataSource={list.data?.violations ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('violations.empty') }}
          data-testid="violations-table"
          columns={[
            { title: t('violations.type'), dataIndex: 'type', width: 170, render: (v: (typeof VIOLATION_TYPES)[number]) => <Tag color="volcano">{t(`review.type.${v}`)}</Tag> },
            { title: t('violations.detectedAt'), dataIndex: 'detectedAt', width: 170, render: (v: string) => dateTimeSec(v) },
            { title: t('review.confirmedAt'), dataIndex: 'confirmedAt', width: 170, render: (v: string) => dateTimeSec(v) },
            { title: t('violations.deadline'), dataIndex: 'deadlineAt', width: 180, render: (v: string, r) => <Deadline at={v} overdue={r.overdue} now={now} /> },
            {
              title: t('common.status'),
              dataIndex: 'appealStatus',
              render: (s: Violation['appealStatus'], r) => (
                <Space direction="vertical" size={2}>
                  <Tag color={APPEAL_COLOR[s]} data-testid="appeal-status" data-status={s}>
                    {t(`violations.appealStatus.${s}`)}
                  </Tag>
                  {r.appealStatement && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('common.labelled', { label: t('violations.statement'), value: r.appealStatement })}</Typography.Text>}
                  {r.appealNote && <Typography.Text style={{ fontSize: 12 }}>{t('common.labelled', { label: t('violations.decisionNote'), value: r.appealNote })}</Typography.Text>}
                </Space>
              ),
            },
            {
              title: t('common.actions'),
              key: 'a',
              width: 110,
              render: (_: unknown, r) =>
                r.appealStatus === 'none' ? (
                  <Button
                    size="small"
                    onClick={() => {
                      setStatement('');
                      setAppealing(r);
                    }}
                    data-testid="appeal-open"
                  >
                    {t('violations.appeal')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      <Modal
        open={!!appealing}
        title={t('violations.appealTitle')}
        okText={t('violations.appeal')}
        cancelText={t('common.cancel')}
        okButtonProps={{ disabled: !statement.trim(), 'data-testid': 'appeal-submit' } as never}
        confirmLoading={busy}
        onCancel={() => setAppealing(null)}
        onOk={() => void submit()}
        destroyOnHidden
      >
        <Alert type="warning" showIcon message={t('violations.appealHelp')} style={{ marginBottom: 12 }} />
        <Input.TextArea rows={5} maxLength={2000} showCount value={statement} onChange={(e) => setStatement(e.target.value)} placeholder={t('violations.statement')} data-testid="appeal-statement-input" />
      </Modal>
    </div>
  );
}
