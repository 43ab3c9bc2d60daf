import { forwardRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Avatar, Button, Input, Select, Space, Tag, Typography } from 'antd';
import { SearchOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { InputRef } from 'antd';
import { api, type LookupResult } from '../../api/client.ts';
import { errorText } from '../../i18n/index.ts';
import { qk } from '../../lib/conversationCache.ts';
import { money } from '../../lib/format.ts';

type By = 'phone' | 'platformId' | 'orderNo';

/** Find a platform user by phone number, platform ID (快手号) or order number (DESIGN 1.2 step 2). */
export const ContactSearch = forwardRef<InputRef>(function ContactSearch(_props, ref) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [by, setBy] = useState<By>('phone');
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<LookupResult | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function search(v: string) {
    const q = v.trim();
    if (!q) {
      setResult(null);
      setError(null);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setResult(await api.contacts.lookup({ [by]: q }));
    } catch (e) {
      setResult(null);
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function open() {
    if (!result) return;
    setBusy(true);
    try {
      const r = await api.conversations.open({ contactId: result.contact.id });
      qc.setQueryData(qk.conversation(r.conversation.id), { conversation: { ...r.conversation, contact: r.conversation.contact ?? result.contact } });
      void qc.invalidateQueries({ queryKey: qk.conversationsAll });
      setResult(null);
      setValue('');
      navigate(`/inbox/${r.conversation.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="search">
      <Space.Compact block>
        <Select<By>
          value={by}
          onChange={setBy}
          style={{ width: 100 }}
          data-testid="search-by"
          options={(['phone', 'platformId', 'orderNo'] as const).map((k) => ({ value: k, label: t(`inbox.searchBy.${k}`) }))}
        />
        <Input.Search
          ref={ref}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          onSearch={(v) => void search(v)}
          id="contact-search"
          placeholder={t(`inbox.searchFor.${by}`)}
          allowClear
          loading={busy}
          enterButton={<SearchOutlined />}
          data-testid="search-input"
        />
      </Space.Compact>
      {error != null && <Alert className="search-alert" type="info" showIcon title={errorText(error, t)} data-testid="search-error" />}
      {result && (
        <div className="search-result" data-testid="search-result">
          <Typography.Text type="secondary" className="search-result-label">
            {t('inbox.searchResult')}
          </Typography.Text>
          <div className="search-result-row">
            <Avatar src={result.contact.avatarUrl ?? undefined} icon={<UserOutlined />} />
            <div className="search-result-main">
              <div>
                <Typography.Text strong>{result.contact.nickname}</Typography.Text>{' '}
                <Typography.Text type="secondary">{result.contact.platformId}</Typography.Text>
              </div>
              <div className="search-result-meta">
                {result.contact.phoneMasked && <span>{result.contact.phoneMasked}</span>}
                {result.orders[0] && (
                  <Tag bordered={false}>
                    {result.orders[0].orderNo} · {money(result.orders[0].amount, i18n.language)}
                  </Tag>
                )}
              </div>
            </div>
            <Button type="primary" size="small" onClick={() => void open()} loading={busy} data-testid="start-conversation">
              {t('inbox.startConversation')}
            </Button>
          </div>
        </div>
      )}
    </div>
  );
});
