import { useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Radio, Select, Space, Switch, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import type { CannedReply } from '@kefu/shared';
import { opsApi, opsKeys, type AutoReplyInput, type AutoReplyRule } from '../../api/ops.ts';
import { errorText } from '../../i18n/index.ts';
import { Highlighted, type Span } from './highlight.tsx';
import { dateTimeSec, PageHead, useCategoryLabel, useOpsT } from './common.tsx';

type Flag = CannedReply['flags'][number];
export const VARIABLES = ['{昵称}', '{订单号}', '{客服名}'] as const;

/** Saved flags as highlight spans: words by their level, links as blocking (red). */
export function useFlagSpans() {
  const { t } = useOpsT();
  const cat = useCategoryLabel();
  return (flags: readonly Flag[]): Span[] =>
    flags.map((f) =>
      f.kind === 'link'
        ? { start: f.start, end: f.end, level: 1, reason: t('templates.flagLink', { text: f.text }) }
        : {
            start: f.start,
            end: f.end,
            level: (f.level ?? 1) as 1 | 2 | 3,
            reason: t('templates.flagSensitive', { text: f.text, level: t(`level.${f.level ?? 1}`), category: cat(f.category) }),
          },
    );
}

function VariablesHelp({ onInsert }: { onInsert?: (v: string) => void }) {
  const { t } = useOpsT();
  const labels = [t('templates.varNickname'), t('templates.varOrderNo'), t('templates.varAgent')];
  return (
    <Space wrap size={[4, 4]} data-testid="variables-help">
      <Typography.Text type="secondary">{t('templates.variablesHelp')}</Typography.Text>
      {VARIABLES.map((v, i) => (
        <Tooltip key={v} title={onInsert ? t('templates.insertVar', { v }) : undefined}>
          <Tag color="processing" style={{ cursor: onInsert ? 'pointer' : undefined }} onClick={() => onInsert?.(v)}>
            {v} {labels[i]}
          </Tag>
        </Tooltip>
      ))}
    </Space>
  );
}

interface CannedForm {
  scope: 'org' | 'personal';
  title: string;
  body: string;
  hotkey: number | null;
}

function CannedTab({ canEdit }: { canEdit: boolean }) {
  const { t } = useOpsT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: opsKeys.canned, queryFn: opsApi.canned.list });
  const toSpans = useFlagSpans();
  const [editing, setEditing] = useState<CannedReply | 'new' | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<CannedForm>();
  const bodyRef = useRef<{ resizableTextArea?: { textArea: HTMLTextAreaElement } } | null>(null);

  const open = (r: CannedReply | 'new') => {
    setEditing(r);
    form.setFieldsValue(r === 'new' ? { scope: 'org', title: '', body: '', hotkey: null } : { scope: r.scope, title: r.title, body: r.body, hotkey: r.hotkey });
  };
  const insertVar = (v: string) => {
    const el = bodyRef.current?.resizableTextArea?.textArea;
    const body = form.getFieldValue('body') ?? '';
    const at = el ? el.selectionStart : body.length;
    form.setFieldValue('body', body.slice(0, at) + v + body.slice(at));
  };

  async function save(v: CannedForm) {
    setBusy(true);
    try {
      const res =
        editing === 'new'
          ? await opsApi.canned.create({ scope: v.scope, title: v.title, body: v.body, hotkey: v.hotkey ?? null })
          : await opsApi.canned.update((editing as CannedReply).id, { title: v.title, body: v.body, hotkey: v.hotkey ?? null });
      if (res.reply.flags.length) message.warning(t('templates.savedFlagged'));
      else message.success(t('templates.created'));
      setEditing(null);
      void qc.invalidateQueries({ queryKey: opsKeys.canned });
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  async function remove(r: CannedReply) {
    try {
      await opsApi.canned.remove(r.id);
      message.success(t('common.deleted'));
      void qc.invalidateQueries({ queryKey: opsKeys.canned });
    } catch (e) {
      message.error(errorText(e));
    }
  }

  const hotkeys = list.data?.hotkeys ?? {};
  return (
    <>
      <div style={{ display: 'flex', justifyContent: 'space-between', marginBottom: 12, gap: 12 }}>
        <VariablesHelp />
        {canEdit && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} data-testid="canned-create">
            {t('templates.create')}
          </Button>
        )}
      </div>
      <Table<CannedReply>
        rowKey="id"
        loading={list.isPending}
        dataSource={list.data?.replies ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="canned-table"
        columns={[
          {
            title: t('templates.hotkey'),
            dataIndex: 'hotkey',
            width: 100,
            render: (h: number | null, r) =>
              h ? (
                hotkeys[String(h)] === r.id ? (
                  <Tag color="geekblue" className="ops-mono">
                    Ctrl+{h}
                  </Tag>
                ) : (
                  <Tooltip title={t('templates.hotkeyShadowed')}>
                    <Tag className="ops-mono" style={{ textDecoration: 'line-through' }}>
                      Ctrl+{h}
                    </Tag>
                  </Tooltip>
                )
              ) : (
                <Typography.Text type="secondary">{t('templates.hotkeyNone')}</Typography.Text>
              ),
          },
          { title: t('templates.scope'), dataIndex: 'scope', width: 90, render: (s: string) => <Tag color={s === 'org' ? 'blue' : 'purple'}>{t(s === 'org' ? 'templates.scopeOrg' : 'templates.scopePersonal')}</Tag> },
          { title: t('templates.titleCol'), dataIndex: 'title', width: 160, render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
          { title: t('templates.body'), dataIndex: 'body', render: (b: string, r) => <Highlighted text={b} spans={toSpans(r.flags)} testId="canned-body" /> },
          {
            title: t('templates.flags'),
            dataIndex: 'flags',
            width: 110,
            render: (f: Flag[]) =>
              f.length ? (
                <Tag color="error" icon={<WarningOutlined />} data-testid="canned-flagged">
                  {t('templates.flagged')}
                </Tag>
              ) : (
                <Tag color="success">{t('templates.clean')}</Tag>
              ),
          },
          { title: t('templates.updatedAt'), dataIndex: 'updatedAt', width: 170, render: (v: string) => dateTimeSec(v) },
          ...(canEdit
            ? [
                {
                  title: t('common.actions'),
                  key: 'a',
                  width: 140,
                  render: (_: unknown, r: CannedReply) => (
                    <Space size={0}>
                      <Button type="link" size="small" icon={<EditOutlined />} onClick={() => open(r)}>
                        {t('common.edit')}
                      </Button>
                      <Popconfirm title={t('templates.deleteConfirm', { title: r.title })} onConfirm={() => void remove(r)} okText={t('common.delete')} cancelText={t('common.cancel')}>
                        <Button type="link" size="small" danger icon={<DeleteOutlined />}>
                          {t('common.delete')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('templates.create') : t('templates.editTitle')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        width={620}
        forceRender
      >
        <Form<CannedForm> form={form} layout="vertical" onFinish={(v) => void save(v)} requiredMark={false}>
          <Form.Item name="scope" label={t('templates.scope')}>
            <Radio.Group disabled={editing !== 'new'} options={[{ value: 'org', label: t('templates.scopeOrg') }, { value: 'personal', label: t('templates.scopePersonal') }]} />
          </Form.Item>
          <Form.Item name="title" label={t('templates.titleCol')} rules={[{ required: true, message: t('common.required') }, { max: 60 }]}>
            <Input data-testid="canned-title" />
          </Form.Item>
          <Form.Item name="body" label={t('templates.body')} rules={[{ required: true, message: t('common.required') }]} extra={<VariablesHelp onInsert={insertVar} />}>
            <Input.TextArea rows={4} ref={bodyRef as never} data-testid="canned-body-input" />
          </Form.Item>
          <Form.Item name="hotkey" label={t('templates.hotkey')}>
            <Select allowClear placeholder={t('templates.hotkeyNone')} options={[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => ({ value: n, label: `Ctrl+${n}` }))} style={{ width: 160 }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

interface RuleForm {
  trigger: AutoReplyRule['trigger'];
  keywords: string[];
  body: string;
  enabled: boolean;
}

function AutoTab({ canEdit }: { canEdit: boolean }) {
  const { t } = useOpsT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const rules = useQuery({ queryKey: opsKeys.autoReplies, queryFn: opsApi.autoReplies.list });
  const toSpans = useFlagSpans();
  const [editing, setEditing] = useState<AutoReplyRule | 'new' | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<RuleForm>();
  const trigger = Form.useWatch('trigger', form);

  const open = (r: AutoReplyRule | 'new') => {
    setEditing(r);
    form.setFieldsValue(r === 'new' ? { trigger: 'keyword', keywords: [], body: '', enabled: true } : { trigger: r.trigger, keywords: r.keywords, body: r.body, enabled: r.enabled });
  };
  async function mutate(fn: () => Promise<unknown>, done: string) {
    try {
      await fn();
      message.success(done);
      void qc.invalidateQueries({ queryKey: opsKeys.autoReplies });
      return true;
    } catch (e) {
      message.error(errorText(e));
      return false;
    }
  }
  async function save(v: RuleForm) {
    setBusy(true);
    const body: AutoReplyInput = { trigger: v.trigger, body: v.body, enabled: v.enabled, keywords: v.trigger === 'keyword' ? v.keywords : [] };
    const ok = await mutate(() => (editing === 'new' ? opsApi.autoReplies.create(body) : opsApi.autoReplies.update((editing as AutoReplyRule).id, body)), t('templates.ruleSaved'));
    setBusy(false);
    if (ok) setEditing(null);
  }

  return (
    <>
      <Alert type="info" showIcon message={t('templates.autoHelp')} style={{ marginBottom: 12 }} />
      {canEdit && (
        <div style={{ textAlign: 'right', marginBottom: 12 }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
            {t('templates.createRule')}
          </Button>
        </div>
      )}
      <Table<AutoReplyRule>
        rowKey="id"
        loading={rules.isPending}
        dataSource={rules.data?.rules ?? []}
        pagination={false}
        columns={[
          { title: t('templates.trigger'), dataIndex: 'trigger', width: 200, render: (v: string) => <Tag color="cyan">{t(`templates.triggers.${v}`)}</Tag> },
          { title: t('templates.keywords'), dataIndex: 'keywords', width: 200, render: (k: string[]) => (k.length ? k.map((x) => <Tag key={x}>{x}</Tag>) : t('common.none')) },
          { title: t('templates.body'), dataIndex: 'body', render: (b: string, r) => <Highlighted text={b} spans={toSpans(r.flags)} /> },
          {
            title: t('templates.enabled'),
            dataIndex: 'enabled',
            width: 90,
            render: (v: boolean, r) => <Switch size="small" checked={v} disabled={!canEdit} onChange={(en) => void mutate(() => opsApi.autoReplies.update(r.id, { enabled: en }), t('templates.ruleSaved'))} />,
          },
          ...(canEdit
            ? [
                {
                  title: t('common.actions'),
                  key: 'a',
                  width: 140,
                  render: (_: unknown, r: AutoReplyRule) => (
                    <Space size={0}>
                      <Button type="link" size="small" icon={<EditOutlined />} onClick={() => open(r)}>
                        {t('common.edit')}
                      </Button>
                      <Popconfirm title={t('templates.ruleDeleteConfirm')} onConfirm={() => void mutate(() => opsApi.autoReplies.remove(r.id), t('common.deleted'))} okText={t('common.delete')} cancelText={t('common.cancel')}>
                        <Button type="link" size="small" danger icon={<DeleteOutlined />}>
                          {t('common.delete')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal open={editing !== null} title={editing === 'new' ? t('templates.createRule') : t('templates.editRule')} onCancel={() => setEditing(null)} onOk={() => form.submit()} confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')} forceRender width={620}>
        <Form<RuleForm> form={form} layout="vertical" onFinish={(v) => void save(v)} requiredMark={false}>
          <Form.Item name="trigger" label={t('templates.trigger')}>
            <Select options={(['keyword', 'outside_hours', 'no_agent_online'] as const).map((v) => ({ value: v, label: t(`templates.triggers.${v}`) }))} />
          </Form.Item>
          {trigger === 'keyword' && (
            <Form.Item name="keywords" label={t('templates.keywords')} extra={t('templates.keywordsHelp')} rules={[{ required: true, message: t('common.required') }]}>
              <Select mode="tags" open={false} tokenSeparators={[',', '\uff0c']} />
            </Form.Item>
          )}
          <Form.Item name="body" label={t('templates.body')} rules={[{ required: true, message: t('common.required') }]}>
            <Input.TextArea rows={4} />
          </Form.Item>
          <Form.Item name="enabled" label={t('templates.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export default function TemplatesPage() {
  const { t } = useOpsT();
  const mine = useQuery({ queryKey: opsKeys.myPolicy, queryFn: opsApi.myPolicy });
  const canEdit = mine.data?.policy.manageTemplates === true;
  return (
    <div className="ops-page" data-testid="ops-templates">
      <PageHead title={t('templates.title')} subtitle={t('templates.subtitle')} />
      {mine.data && !canEdit && <Alert type="warning" showIcon message={t('common.readOnly')} style={{ marginBottom: 12 }} data-testid="templates-readonly" />}
      <Card variant="borderless">
        <Tabs
          items={[
            { key: 'canned', label: t('templates.canned'), children: <CannedTab canEdit={canEdit} /> },
            { key: 'auto', label: t('templates.auto'), children: <AutoTab canEdit={canEdit} /> },
          ]}
        />
      </Card>
    </div>
  );
}
