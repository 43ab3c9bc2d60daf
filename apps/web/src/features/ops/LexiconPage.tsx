import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Empty, Form, Input, InputNumber, List, Popconfirm, Row, Select, Space, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { DeleteOutlined, PlusOutlined, SearchOutlined, UploadOutlined } from '@ant-design/icons';
import { opsApi, opsKeys, type DraftCheckResult, type ImportResult, type LexiconEntry } from '../../api/ops.ts';
import { errorText } from '../../i18n/index.ts';
import { Highlighted, type Span } from './highlight.tsx';
import { AdminOnly, dateTimeSec, PageHead, useCategoryLabel, useOpsT } from './common.tsx';

const LEVEL_COLOR = { 1: 'red', 2: 'orange', 3: 'blue' } as const;
const KNOWN_CATEGORIES = ['payment', 'contact', 'abuse', 'prohibited', 'refund', 'compensation', 'complaint', 'competitor', 'custom'];

export function LevelTag({ level }: { level: number | null }) {
  const { t } = useOpsT();
  if (!level) return null;
  return <Tag color={LEVEL_COLOR[level as 1 | 2 | 3]}>{`${t(`levelTag.${level}`)} · ${t(`level.${level}`)}`}</Tag>;
}

function EntriesTab({ kind, entries, loading }: { kind: 'word' | 'allow'; entries: LexiconEntry[]; loading: boolean }) {
  const { t } = useOpsT();
  const cat = useCategoryLabel();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ word: string; level: number; category: string }>();
  const [q, setQ] = useState('');
  const rows = entries.filter((e) => e.kind === kind && (!q || e.word.includes(q)));

  async function add(v: { word: string; level?: number; category?: string }) {
    try {
      await opsApi.lexicon.add(kind === 'word' ? { kind, word: v.word.trim(), level: v.level, category: v.category } : { kind, word: v.word.trim() });
      message.success(t('lexicon.added'));
      form.resetFields(['word']);
      void qc.invalidateQueries({ queryKey: opsKeys.lexicon });
    } catch (e) {
      message.error(errorText(e));
    }
  }
  async function remove(e: LexiconEntry) {
    try {
      await opsApi.lexicon.remove(e.id);
      message.success(t('common.deleted'));
      void qc.invalidateQueries({ queryKey: opsKeys.lexicon });
    } catch (err) {
      message.error(errorText(err));
    }
  }

  return (
    <>
      {kind === 'allow' && <Alert type="info" showIcon message={t('lexicon.allowHelp')} style={{ marginBottom: 12 }} />}
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 12, marginBottom: 12, flexWrap: 'wrap' }}>
        <Form form={form} layout="inline" onFinish={(v) => void add(v)} initialValues={{ level: 1, category: 'custom' }}>
          <Form.Item name="word" rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 64 }]}>
            <Input placeholder={t('lexicon.word')} style={{ width: 160 }} data-testid={`lexicon-${kind}-input`} />
          </Form.Item>
          {kind === 'word' && (
            <>
              <Form.Item name="level">
                <Select style={{ width: 170 }} options={[1, 2, 3].map((l) => ({ value: l, label: `${t(`levelTag.${l}`)} · ${t(`level.${l}`)}` }))} />
              </Form.Item>
              <Form.Item name="category">
                <Select style={{ width: 130 }} options={KNOWN_CATEGORIES.map((c) => ({ value: c, label: cat(c) }))} />
              </Form.Item>
            </>
          )}
          <Button type="primary" htmlType="submit" icon={<PlusOutlined />}>
            {kind === 'word' ? t('lexicon.addWord') : t('lexicon.addAllow')}
          </Button>
        </Form>
        <Input allowClear prefix={<SearchOutlined />} placeholder={t('lexicon.word')} style={{ width: 180 }} value={q} onChange={(e) => setQ(e.target.value)} />
      </div>
      <Table<LexiconEntry>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={rows}
        pagination={{ pageSize: 15, hideOnSinglePage: true, showTotal: (n) => t('common.total', { count: n }) }}
        data-testid={`lexicon-${kind}-table`}
        columns={[
          { title: t('lexicon.word'), dataIndex: 'word', render: (w: string) => <Typography.Text strong>{w}</Typography.Text> },
          ...(kind === 'word'
            ? [
                { title: t('lexicon.level'), dataIndex: 'level', width: 190, render: (l: number | null) => <LevelTag level={l} /> },
                { title: t('lexicon.category'), dataIndex: 'category', width: 140, render: (c: string | null) => cat(c) },
              ]
            : []),
          { title: t('common.time'), dataIndex: 'createdAt', width: 180, render: (v: string) => dateTimeSec(v) },
          {
            title: t('common.actions'),
            key: 'a',
            width: 100,
            render: (_: unknown, e: LexiconEntry) => (
              <Popconfirm title={t('lexicon.deleteConfirm', { word: e.word })} onConfirm={() => void remove(e)} okText={t('common.delete')} cancelText={t('common.cancel')}>
                <Button type="link" danger size="small" icon={<DeleteOutlined />}>
                  {t('common.delete')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </>
  );
}

function ImportTab() {
  const { t } = useOpsT();
  const cat = useCategoryLabel();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [content, setContent] = useState('');
  const [format, setFormat] = useState<'auto' | 'text' | 'csv'>('auto');
  const [kind, setKind] = useState<'word' | 'allow'>('word');
  const [level, setLevel] = useState<number>(1);
  const [category, setCategory] = useState('custom');
  const [result, setResult] = useState<ImportResult | null>(null);
  const [busy, setBusy] = useState(false);

  async function run() {
    setBusy(true);
    try {
      const r = await opsApi.lexicon.import({ content, kind, level, category, ...(format === 'auto' ? {} : { format }) });
      setResult(r);
      if (r.errors.length === 0) {
        message.success(t('lexicon.imported', { count: r.imported }));
        void qc.invalidateQueries({ queryKey: opsKeys.lexicon });
      }
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Text type="secondary">{t('lexicon.importHelp')}</Typography.Text>
      <Space wrap>
        <span>{t('lexicon.importKind')}</span>
        <Select value={kind} onChange={setKind} style={{ width: 120 }} options={[{ value: 'word', label: t('lexicon.entries') }, { value: 'allow', label: t('lexicon.allow') }]} />
        <span>{t('lexicon.format')}</span>
        <Select value={format} onChange={setFormat} style={{ width: 110 }} options={[{ value: 'auto', label: t('lexicon.formatAuto') }, { value: 'text', label: t('lexicon.formatText') }, { value: 'csv', label: t('lexicon.formatCsv') }]} />
        {kind === 'word' && (
          <>
            <span>{t('lexicon.defaultLevel')}</span>
            <InputNumber min={1} max={3} precision={0} value={level} onChange={(v) => setLevel(v ?? 1)} style={{ width: 70 }} />
            <span>{t('lexicon.defaultCategory')}</span>
            <Select value={category} onChange={setCategory} style={{ width: 130 }} options={KNOWN_CATEGORIES.map((c) => ({ value: c, label: cat(c) }))} />
          </>
        )}
      </Space>
      <Upload
        accept=".txt,.csv,text/plain,text/csv"
        maxCount={1}
        showUploadList={false}
        beforeUpload={(file) => {
          void file.text().then((text) => {
            setContent(text);
            if (file.name.toLowerCase().endsWith('.csv')) setFormat('csv');
          });
          return false;
        }}
      >
        <Button icon={<UploadOutlined />} data-testid="lexicon-upload">
          {t('lexicon.upload')}
        </Button>
      </Upload>
      <Input.TextArea rows={8} value={content} onChange={(e) => setContent(e.target.value)} placeholder={t('lexicon.paste')} className="ops-mono" data-testid="lexicon-import-content" />
      <Button type="primary" onClick={() => void run()} loading={busy} disabled={!content.trim()} data-testid="lexicon-import-run">
        {t('lexicon.runImport')}
      </Button>
      {result && result.errors.length > 0 && (
        <Alert
          type="error"
          showIcon
          data-testid="lexicon-import-errors"
          message={t('lexicon.importFailed', { count: result.errors.length })}
          description={
            <List
              size="small"
              dataSource={result.errors}
              renderItem={(e) => (
                <List.Item data-testid="lexicon-import-error" data-line={e.line}>
                  <Tag color="red">{t('lexicon.line', { line: e.line })}</Tag> {e.message}
                </List.Item>
              )}
            />
          }
        />
      )}
      {result && result.errors.length === 0 && <Alert type="success" showIcon message={t('lexicon.imported', { count: result.imported })} data-testid="lexicon-import-ok" />}
      {result && result.warnings.length > 0 && (
        <Alert
          type="warning"
          showIcon
          message={t('lexicon.warnings')}
          description={result.warnings.map((w) => (
            <div key={w.line}>
              <Tag color="orange">{t('lexicon.line', { line: w.line })}</Tag> {w.message}
            </div>
          ))}
        />
      )}
    </Space>
  );
}

function StatementsTab() {
  const { t } = useOpsT();
  const cat = useCategoryLabel();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const st = useQuery({ queryKey: opsKeys.statements, queryFn: opsApi.lexicon.statements });
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [extra, setExtra] = useState<string[]>([]);
  const own = new Map((st.data?.statements ?? []).map((s) => [s.category, s]));
  const categories = [...new Set(['complaint', '*', ...own.keys(), ...extra])];

  async function save(category: string) {
    const text = drafts[category] ?? own.get(category)?.text ?? st.data?.defaultText ?? '';
    try {
      await opsApi.lexicon.setStatement(category, text);
      message.success(t('lexicon.statementSaved'));
      void qc.invalidateQueries({ queryKey: opsKeys.statements });
    } catch (e) {
      message.error(errorText(e));
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Alert type="info" showIcon message={t('lexicon.statementsHelp')} />
      {categories.map((c) => (
        <Card key={c} size="small" title={cat(c)} extra={own.has(c) ? <Tag color="blue">{t('lexicon.statementCustom')}</Tag> : <Tag>{t('lexicon.statementDefault')}</Tag>}>
          <Input.TextArea rows={2} maxLength={1000} value={drafts[c] ?? own.get(c)?.text ?? st.data?.defaultText ?? ''} onChange={(e) => setDrafts((d) => ({ ...d, [c]: e.target.value }))} data-testid={`statement-${c}`} />
          <div style={{ textAlign: 'right', marginTop: 8 }}>
            <Button size="small" type="primary" onClick={() => void save(c)}>
              {t('common.save')}
            </Button>
          </div>
        </Card>
      ))}
      <Select
        style={{ width: 260 }}
        placeholder={t('lexicon.addStatement')}
        value={null}
        onChange={(v: string) => setExtra((x) => [...x, v])}
        options={KNOWN_CATEGORIES.filter((c) => !categories.includes(c)).map((c) => ({ value: c, label: cat(c) }))}
      />
    </Space>
  );
}

/** The spans a test (or a draft check) found: words by level, links as blocking. */
export function checkSpans(r: DraftCheckResult, t: (k: string, o?: Record<string, unknown>) => string, cat: (c: string) => string): Span[] {
  return [
    ...r.hits.map((h) => ({ start: h.start, end: h.end, level: h.level as 1 | 2 | 3, reason: t('lexicon.hitReason', { word: h.word, level: t(`level.${h.level}`), category: cat(h.category) }) })),
    ...r.links.map((l) => ({ start: l.start, end: l.end, level: 1 as const, reason: t('lexicon.linkReason', { host: l.host }) })),
  ];
}

const ACTION_COLOR = { send: 'success', blocked: 'error', step_up: 'warning', statement: 'processing' } as const;

function TestBox() {
  const { t } = useOpsT();
  const cat = useCategoryLabel();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [tested, setTested] = useState<{ text: string; r: DraftCheckResult } | null>(null);
  const [busy, setBusy] = useState(false);
  async function run() {
    setBusy(true);
    try {
      setTested({ text, r: await opsApi.lexicon.test(text) });
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card title={t('lexicon.testTitle')} variant="borderless" data-testid="lexicon-test">
      <Typography.Paragraph type="secondary">{t('lexicon.testHelp')}</Typography.Paragraph>
      <Input.TextArea rows={3} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('lexicon.testPlaceholder')} data-testid="lexicon-test-input" />
      <Button type="primary" icon={<SearchOutlined />} style={{ marginTop: 8 }} onClick={() => void run()} loading={busy} disabled={!text.trim()} data-testid="lexicon-test-run">
        {t('lexicon.runTest')}
      </Button>
      {tested && (
        <div data-testid="lexicon-test-result" data-action={tested.r.action}>
          <div className="ops-test-result">
            <Highlighted text={tested.text} spans={checkSpans(tested.r, t, cat)} />
          </div>
          <Space style={{ marginTop: 8 }} wrap>
            <Tag color={ACTION_COLOR[tested.r.action]}>{t(`lexicon.action.${tested.r.action}`)}</Tag>
            <Typography.Text type="secondary">{tested.r.hits.length + tested.r.links.length ? t('lexicon.hits', { count: tested.r.hits.length + tested.r.links.length }) : t('lexicon.noHits')}</Typography.Text>
          </Space>
        </div>
      )}
      <div style={{ marginTop: 16 }}>
        <Typography.Text type="secondary">{t('common.labelled', { label: t('lexicon.legend'), value: '' })}</Typography.Text>
        <Space wrap size={4}>
          {[1, 2, 3].map((l) => (
            <LevelTag key={l} level={l} />
          ))}
        </Space>
      </div>
    </Card>
  );
}

export default function LexiconPage() {
  const { t } = useOpsT();
  const list = useQuery({ queryKey: opsKeys.lexicon, queryFn: opsApi.lexicon.list });
  const entries = list.data?.entries ?? [];
  return (
    <AdminOnly>
      <div className="ops-page" data-testid="ops-lexicon">
        <PageHead title={t('lexicon.title')} subtitle={t('lexicon.subtitle')} />
        <Row gutter={16}>
          <Col xs={24} xl={15}>
            <Card variant="borderless">
              <Tabs
                items={[
                  { key: 'word', label: `${t('lexicon.entries')} (${entries.filter((e) => e.kind === 'word').length})`, children: <EntriesTab kind="word" entries={entries} loading={list.isPending} /> },
                  { key: 'allow', label: `${t('lexicon.allow')} (${entries.filter((e) => e.kind === 'allow').length})`, children: <EntriesTab kind="allow" entries={entries} loading={list.isPending} /> },
                  { key: 'import', label: <span data-testid="tab-import">{t('lexicon.import')}</span>, children: <ImportTab /> },
                  { key: 'statements', label: t('lexicon.statements'), children: <StatementsTab /> },
                ]}
              />
              {list.isError && <Empty description={errorText(list.error)} />}
            </Card>
          </Col>
          <Col xs={24} xl={9}>
            <TestBox />
          </Col>
        </Row>
      </div>
    </AdminOnly>
  );
}
