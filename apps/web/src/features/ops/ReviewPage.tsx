import { useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Card, Form, Input, Modal, Radio, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { CheckOutlined, CloseOutlined, SyncOutlined } from '@ant-design/icons';
import { VIOLATION_TYPES, type HeldMessage, type SensitiveHit } from '@kefu/shared';
import { api } from '../../api/client.ts';
import { opsApi, opsKeys, type PostReview, type ReviewCase, type Violation } from '../../api/ops.ts';
import { errorText } from '../../i18n/index.ts';
import { qk } from '../../lib/conversationCache.ts';
import { Highlighted, type Span } from './highlight.tsx';
import { AdminOnly, dateTimeSec, duration, PageHead, useCategoryLabel, useOpsT } from './common.tsx';

/** The queues refresh on their own: the workbench's one socket is not shared with these pages. */
const POLL_MS = 3000;
type ViolationType = (typeof VIOLATION_TYPES)[number];

function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

function useHitSpans() {
  const { t } = useOpsT();
  const cat = useCategoryLabel();
  return (hits: readonly SensitiveHit[]): Span[] =>
    hits.map((h) => ({ start: h.start, end: h.end, level: h.level as 1 | 2 | 3, reason: t('lexicon.hitReason', { word: h.word, level: t(`level.${h.level}`), category: cat(h.category) }) }));
}

/** A deadline with the time left, or an overdue mark. */
export function Deadline({ at, overdue, now }: { at: string; overdue: boolean; now: number }) {
  const { t } = useOpsT();
  const late = overdue || Date.parse(at) < now;
  return (
    <Space direction="vertical" size={0}>
      <span>{dateTimeSec(at)}</span>
      {late ? (
        <Tag color="red" data-testid="overdue">
          {t('common.overdue')}
        </Tag>
      ) : (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('common.dueIn', { time: duration(Date.parse(at) - now, t) })}
        </Typography.Text>
      )}
    </Space>
  );
}

/** One note / reason dialog for every decision of the review center. */
function useDecisionDialog() {
  const [state, setState] = useState<{ title: string; required: boolean; placeholder?: string; ok: string; danger?: boolean; extra?: React.ReactNode; run: (note: string) => Promise<boolean> } | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const { t } = useOpsT();
  const dialog = (
    <Modal
      open={!!state}
      title={state?.title}
      okText={state?.ok}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: state?.danger, disabled: !!state?.required && !note.trim(), 'data-testid': 'decision-ok' } as never}
      confirmLoading={busy}
      onCancel={() => setState(null)}
      onOk={async () => {
        if (!state) return;
        setBusy(true);
        const ok = await state.run(note.trim());
        setBusy(false);
        if (ok) setState(null);
      }}
      destroyOnHidden
    >
      {state?.extra}
      <Input.TextArea rows={3} maxLength={500} showCount value={note} onChange={(e) => setNote(e.target.value)} placeholder={state?.placeholder} data-testid="decision-note" />
    </Modal>
  );
  const open = (s: NonNullable<typeof state>) => {
    setNote('');
    setState(s);
  };
  return { dialog, open };
}

function useAct() {
  const { message } = App.useApp();
  const qc = useQueryClient();
  return async (fn: () => Promise<unknown>, done: string, keys: readonly (readonly unknown[])[]) => {
    try {
      await fn();
      message.success(done);
      for (const k of keys) void qc.invalidateQueries({ queryKey: k });
      return true;
    } catch (e) {
      message.error(errorText(e));
      for (const k of keys) void qc.invalidateQueries({ queryKey: k });
      return false;
    }
  };
}

function HeldTab({ now }: { now: number }) {
  const { t } = useOpsT();
  const held = useQuery({ queryKey: opsKeys.held, queryFn: () => opsApi.held.list('pending'), refetchInterval: POLL_MS });
  const spans = useHitSpans();
  const act = useAct();
  const { dialog, open } = useDecisionDialog();
  return (
    <>
      <Table<HeldMessage>
        rowKey="id"
        loading={held.isPending}
        dataSource={held.data?.held ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('review.emptyHeld') }}
        data-testid="held-table"
        columns={[
          { title: t('review.author'), dataIndex: 'agentName', width: 120, render: (v: string | null) => v ?? t('review.unknownAgent') },
          { title: t('review.text'), dataIndex: 'text', render: (v: string, h) => <Highlighted text={v} spans={spans(h.hits)} testId="held-text" /> },
          { title: t('review.submitNote'), dataIndex: 'note', width: 200, render: (v: string | null) => v ?? t('common.none') },
          {
            title: t('review.waiting'),
            dataIndex: 'waitingMs',
            width: 130,
            sorter: (a, b) => a.waitingMs - b.waitingMs,
            // The server's count, advanced by the time since it was fetched (no clock skew).
            render: (w: number) => {
              const ms = w + Math.max(0, now - held.dataUpdatedAt);
              return <Tag color={ms > 30 * 60_000 ? 'red' : ms > 5 * 60_000 ? 'orange' : 'default'}>{duration(ms, t)}</Tag>;
            },
          },
          {
            title: t('common.actions'),
            key: 'a',
            width: 200,
            render: (_: unknown, h) => (
              <Space size={4}>
                <Button type="primary" size="small" icon={<CheckOutlined />} data-testid="held-approve" onClick={() => void act(() => opsApi.held.approve(h.id), t('review.approved'), [opsKeys.held])}>
                  {t('review.approve')}
                </Button>
                <Button
                  danger
                  size="small"
                  icon={<CloseOutlined />}
                  data-testid="held-reject"
                  onClick={() =>
                    open({ title: t('review.rejectTitle'), required: true, placeholder: t('review.rejectPlaceholder'), ok: t('review.reject'), danger: true, run: (reason) => act(() => opsApi.held.reject(h.id, reason), t('review.rejected'), [opsKeys.held]) })
                  }
                >
                  {t('review.reject')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {dialog}
    </>
  );
}

const PRIORITY_COLOR: Record<number, string> = { 1: 'red', 2: 'orange', 3: 'default' };
const CASE_COLOR: Record<string, string> = { open: 'processing', cleared: 'success', warned: 'warning', restricted: 'error' };

function CasesTab() {
  const { t } = useOpsT();
  const [status, setStatus] = useState('open');
  const cases = useQuery({ queryKey: [...opsKeys.cases, status], queryFn: () => opsApi.cases.list(status === 'all' ? undefined : status), refetchInterval: POLL_MS });
  const spans = useHitSpans();
  const act = useAct();
  const { dialog, open } = useDecisionDialog();
  const resolve = (c: ReviewCase, action: 'clear' | 'warn' | 'restrict') =>
    open({
      title: t('review.resolveTitle', { action: t(`review.${action}`), name: c.agentName ?? t('review.unknownAgent') }),
      required: false,
      placeholder: t('common.note'),
      ok: t(`review.${action}`),
      danger: action === 'restrict',
      run: (note) => act(() => opsApi.cases.resolve(c.id, { action, ...(note ? { note } : {}) }), t('review.resolved'), [opsKeys.cases]),
    });
  return (
    <>
      <Radio.Group value={status} onChange={(e) => setStatus(e.target.value)} optionType="button" size="small" style={{ marginBottom: 12 }}
        options={['open', 'warned', 'restricted', 'cleared', 'all'].map((s) => ({ value: s, label: s === 'all' ? t('review.caseAll') : t(`review.caseStatus.${s}`) }))} />
      <Table<ReviewCase>
        rowKey="id"
        loading={cases.isPending}
        dataSource={cases.data?.cases ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('review.emptyCases') }}
        data-testid="cases-table"
        columns={[
          { title: t('review.priority'), dataIndex: 'priority', width: 90, render: (p: number) => <Tag color={PRIORITY_COLOR[p] ?? 'default'}>{t(`review.priorityLevel.${p}`, { defaultValue: String(p) })}</Tag> },
          { title: t('common.agent'), dataIndex: 'agentName', width: 120, render: (v: string | null) => v ?? t('review.unknownAgent') },
          { title: t('review.attempts'), dataIndex: 'attempts', width: 90 },
          { title: t('review.lastAttempt'), dataIndex: 'lastAttempt', render: (v: string | null, c) => (v ? <Highlighted text={v} spans={spans(c.lastHits)} /> : t('common.none')) },
          { title: t('common.status'), dataIndex: 'status', width: 110, render: (s: string, c) => (
            <Space direction="vertical" size={0}>
              <Tag color={CASE_COLOR[s]}>{t(`review.caseStatus.${s}`)}</Tag>
              {c.resolutionNote && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{c.resolutionNote}</Typography.Text>}
            </Space>
          ) },
          { title: t('common.time'), dataIndex: 'updatedAt', width: 170, render: (v: string) => dateTimeSec(v) },
          {
            title: t('common.actions'),
            key: 'a',
            width: 210,
            render: (_: unknown, c) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => resolve(c, 'clear')} disabled={c.status === 'cleared'}>{t('review.clear')}</Button>
                <Button type="link" size="small" onClick={() => resolve(c, 'warn')} disabled={c.status !== 'open'}>{t('review.warn')}</Button>
                <Button type="link" size="small" danger onClick={() => resolve(c, 'restrict')} disabled={c.status === 'restricted'}>{t('review.restrict')}</Button>
              </Space>
            ),
          },
        ]}
      />
      {dialog}
    </>
  );
}

function PostTab({ now }: { now: number }) {
  const { t } = useOpsT();
  const reviews = useQuery({ queryKey: opsKeys.postReviews, queryFn: () => opsApi.postReviews.list('pending'), refetchInterval: POLL_MS });
  const act = useAct();
  const [confirming, setConfirming] = useState<PostReview | null>(null);
  const [type, setType] = useState<ViolationType>('external_link');
  const [busy, setBusy] = useState(false);
  const evidence = (r: PostReview): Span[] => r.evidence.map((e) => ({ start: e.start, end: e.end, level: 1, reason: e.why }));
  return (
    <>
      <Table<PostReview>
        rowKey="id"
        loading={reviews.isPending}
        dataSource={reviews.data?.reviews ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('review.emptyPost') }}
        data-testid="post-table"
        columns={[
          {
            title: t('review.source'),
            dataIndex: 'source',
            width: 110,
            render: (s: string) => <Tag color={s === 'bypass' ? 'magenta' : 'geekblue'}>{s === 'bypass' ? t('review.sourceBypass') : t('review.sourceAi')}</Tag>,
          },
          { title: t('common.agent'), dataIndex: 'agentName', width: 110, render: (v: string | null) => v ?? t('review.unknownAgent') },
          {
            title: t('review.text'),
            dataIndex: 'text',
            render: (v: string, r) => (
              <Space direction="vertical" size={2}>
                <Highlighted text={v} spans={evidence(r)} testId="post-text" />
                {r.bypassReason && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('common.labelled', { label: t('review.bypassReason'), value: r.bypassReason })}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          { title: t('review.suspected'), dataIndex: 'suspectedType', width: 140, render: (v: ViolationType | null) => (v ? <Tag color="volcano">{t(`review.type.${v}`)}</Tag> : t('common.none')) },
          { title: t('review.deadline'), dataIndex: 'deadlineAt', width: 170, render: (v: string, r) => <Deadline at={v} overdue={r.overdue} now={now} /> },
          {
            title: t('common.actions'),
            key: 'a',
            width: 200,
            render: (_: unknown, r) => (
              <Space size={4}>
                <Button
                  type="primary"
                  danger
                  size="small"
                  data-testid="post-confirm"
                  onClick={() => {
                    setType(r.suspectedType ?? 'external_link');
                    setConfirming(r);
                  }}
                >
                  {t('review.confirmAs')}
                </Button>
                <Button size="small" data-testid="post-dismiss" onClick={() => void act(() => opsApi.postReviews.decide(r.id, { verdict: 'dismiss' }), t('review.dismissed'), [opsKeys.postReviews])}>
                  {t('review.dismiss')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={!!confirming}
        title={t('review.confirmAs')}
        okText={t('review.confirmAs')}
        cancelText={t('common.cancel')}
        okButtonProps={{ danger: true, 'data-testid': 'post-confirm-ok' } as never}
        confirmLoading={busy}
        onCancel={() => setConfirming(null)}
        onOk={async () => {
          if (!confirming) return;
          setBusy(true);
          const ok = await act(() => opsApi.postReviews.decide(confirming.id, { verdict: 'confirm', type }), t('review.confirmed'), [opsKeys.postReviews, opsKeys.violations()]);
          setBusy(false);
          if (ok) setConfirming(null);
        }}
      >
        {confirming && (
          <Form layout="vertical">
            <Form.Item label={t('review.text')}>
              <Highlighted text={confirming.text} spans={evidence(confirming)} />
            </Form.Item>
            <Form.Item label={t('review.confirmType')}>
              <Radio.Group value={type} onChange={(e) => setType(e.target.value)} options={VIOLATION_TYPES.map((v) => ({ value: v, label: t(`review.type.${v}`) }))} data-testid="post-confirm-type" />
            </Form.Item>
          </Form>
        )}
      </Modal>
    </>
  );
}

function AppealsTab({ now }: { now: number }) {
  const { t } = useOpsT();
  const violations = useQuery({ queryKey: opsKeys.violations(), queryFn: () => opsApi.violations.list(), refetchInterval: POLL_MS });
  const agents = useQuery({ queryKey: qk.agents, queryFn: api.agents.list });
  const names = useMemo(() => new Map((agents.data?.agents ?? []).map((a) => [a.id, a.name])), [agents.data]);
  const act = useAct();
  const { dialog, open } = useDecisionDialog();
  const pending = (violations.data?.violations ?? []).filter((v) => v.appealStatus === 'pending');
  const decide = (v: Violation, outcome: 'uphold' | 'overturn') =>
    open({
      title: t(`review.${outcome}`),
      required: false,
      placeholder: t('common.note'),
      ok: t(`review.${outcome}`),
      danger: outcome === 'uphold',
      extra: (
        <Typography.Paragraph>
          <Typography.Text type="secondary">{t('common.labelled', { label: t('review.appealStatement'), value: '' })}</Typography.Text>
          {v.appealStatement}
        </Typography.Paragraph>
      ),
      run: (note) => act(() => opsApi.violations.decide(v.id, outcome, note || undefined), t('review.appealDecided'), [opsKeys.violations()]),
    });
  return (
    <>
      <Table<Violation>
        rowKey="id"
        loading={violations.isPending}
        dataSource={pending}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('review.emptyAppeals') }}
        data-testid="appeals-table"
        columns={[
          { title: t('common.agent'), dataIndex: 'agentId', width: 120, render: (id: string) => names.get(id) ?? t('review.unknownAgent') },
          { title: t('review.violationType'), dataIndex: 'type', width: 150, render: (v: ViolationType) => <Tag color="volcano">{t(`review.type.${v}`)}</Tag> },
          { title: t('review.appealStatement'), dataIndex: 'appealStatement', render: (s: string | null) => <span data-testid="appeal-statement">{s}</span> },
          { title: t('review.confirmedAt'), dataIndex: 'confirmedAt', width: 170, render: (v: string) => dateTimeSec(v) },
          { title: t('review.deadline'), dataIndex: 'deadlineAt', width: 170, render: (v: string, r) => <Deadline at={v} overdue={r.overdue} now={now} /> },
          {
            title: t('common.actions'),
            key: 'a',
            width: 190,
            render: (_: unknown, v) => (
              <Space size={4}>
                <Button size="small" danger onClick={() => decide(v, 'uphold')} data-testid="appeal-uphold">
                  {t('review.uphold')}
                </Button>
                <Button size="small" type="primary" onClick={() => decide(v, 'overturn')} data-testid="appeal-overturn">
                  {t('review.overturn')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {dialog}
    </>
  );
}

export default function ReviewPage() {
  const { t } = useOpsT();
  const now = useNow();
  // Counts for the tab badges share the tabs' queries (same keys), so nothing is fetched twice.
  const held = useQuery({ queryKey: opsKeys.held, queryFn: () => opsApi.held.list('pending'), refetchInterval: POLL_MS });
  const cases = useQuery({ queryKey: [...opsKeys.cases, 'open'], queryFn: () => opsApi.cases.list('open'), refetchInterval: POLL_MS });
  const post = useQuery({ queryKey: opsKeys.postReviews, queryFn: () => opsApi.postReviews.list('pending'), refetchInterval: POLL_MS });
  const viol = useQuery({ queryKey: opsKeys.violations(), queryFn: () => opsApi.violations.list(), refetchInterval: POLL_MS });
  const label = (text: string, n: number | undefined, key: string) => (
    <span data-testid={`tab-${key}`}>
      {text} <Badge count={n ?? 0} size="small" showZero={false} />
    </span>
  );
  return (
    <AdminOnly>
      <div className="ops-page" data-testid="ops-review">
        <PageHead
          title={t('review.title')}
          subtitle={t('review.subtitle')}
          extra={
            <Tooltip title={t('review.live')}>
              <Tag icon={<SyncOutlined spin={held.isFetching} />} color="processing">
                {t('review.live')}
              </Tag>
            </Tooltip>
          }
        />
        <Card variant="borderless">
          <Tabs
            destroyOnHidden
            items={[
              { key: 'held', label: label(t('review.held'), held.data?.held.length, 'held'), children: <HeldTab now={now} /> },
              { key: 'cases', label: label(t('review.cases'), cases.data?.cases.length, 'cases'), children: <CasesTab /> },
              { key: 'post', label: label(t('review.post'), post.data?.reviews.length, 'post'), children: <PostTab now={now} /> },
              { key: 'appeals', label: label(t('review.appeals'), viol.data?.violations.filter((v) => v.appealStatus === 'pending').length, 'appeals'), children: <AppealsTab now={now} /> },
            ]}
          />
        </Card>
      </div>
    </AdminOnly>
  );
}
