import { createContext, useContext } from 'react';
import { Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Agent } from '@kefu/shared';
import dayjs from 'dayjs';

/** The signed-in agent, handed down by the ops layout (its pages sit below a nested <Routes>). */
export const OpsAgentContext = createContext<Agent | null>(null);
export function useOpsAgent(): Agent {
  const a = useContext(OpsAgentContext);
  if (!a) throw new Error('useOpsAgent outside the ops layout');
  return a;
}

/** The `ops` namespace; shared labels (tiers, business types, errors) stay in `translation`. */
export function useOpsT() {
  return useTranslation('ops');
}

export function AdminOnly({ children }: { children: React.ReactNode }) {
  const me = useOpsAgent();
  const { t } = useOpsT();
  if (me.tier !== 'admin') return <Result status="403" title="403" subTitle={t('common.adminOnly')} />;
  return <>{children}</>;
}

export function PageHead({ title, subtitle, extra }: { title: string; subtitle?: string; extra?: React.ReactNode }) {
  return (
    <div className="ops-head">
      <div>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {subtitle && <Typography.Text type="secondary">{subtitle}</Typography.Text>}
      </div>
      {extra}
    </div>
  );
}

/** A compact duration (1 天 3 小时 / 1d 3h) in the UI language. */
export function duration(ms: number, t: (k: string, o?: Record<string, unknown>) => string): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts: string[] = [];
  if (d) parts.push(t('common.days', { n: d }));
  if (h) parts.push(t('common.hours', { n: h }));
  if (!d && m) parts.push(t('common.minutes', { n: m }));
  if (!parts.length) parts.push(t('common.seconds', { n: s % 60 }));
  return parts.join(' ');
}

export function dateTimeSec(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm:ss') : '—';
}

/** A category's label, the raw name when the organisation made up its own. */
export function useCategoryLabel() {
  const { t, i18n } = useOpsT();
  return (c: string | null | undefined) => (c ? (i18n.exists(`category.${c}`, { ns: 'ops' }) ? t(`category.${c}`) : c) : '—');
}
