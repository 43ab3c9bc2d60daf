import { Button, Dropdown } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../i18n/index.ts';

const LABELS: Record<Language, string> = { 'zh-CN': '简体中文', en: 'English' };
const SHORT: Record<Language, string> = { 'zh-CN': '中文', en: 'EN' };

export function LanguageSwitch({ size = 'middle' }: { size?: 'small' | 'middle' }) {
  const { i18n, t } = useTranslation();
  const current = (i18n.language === 'en' ? 'en' : 'zh-CN') as Language;
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [current],
        items: (Object.keys(LABELS) as Language[]).map((k) => ({ key: k, label: <span data-testid={`lang-${k}`}>{LABELS[k]}</span> })),
        onClick: ({ key }) => setLanguage(key as Language),
      }}
    >
      <Button type="text" size={size} icon={<GlobalOutlined />} aria-label={t('app.language')} data-testid="lang-switch">
        {size === 'small' ? SHORT[current] : LABELS[current]}
      </Button>
    </Dropdown>
  );
}
