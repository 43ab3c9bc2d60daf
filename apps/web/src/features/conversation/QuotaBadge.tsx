import { useQuery } from '@tanstack/react-query';
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';

/** Today's remaining sends, kept live by the socket's `quota.updated`; nothing for unlimited tiers. */
export function QuotaBadge() {
  const { t } = useTranslation();
  const quota = useQuery({ queryKey: ['me', 'quota'], queryFn: api.me.quota, staleTime: 60_000 });
  const q = quota.data;
  if (!q || q.limit === null || q.remaining === null) return null;
  const low = q.remaining <= Math.max(5, Math.round(q.limit * 0.1));
  const reset = new Date(q.resetAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return (
    <Typography.Text type={q.remaining === 0 ? 'danger' : low ? 'warning' : 'secondary'} className="quota-badge" data-testid="quota-remaining" data-remaining={q.remaining} title={t('composer.quotaTitle', { reset })}>
      {t('composer.quota', { remaining: q.remaining, limit: q.limit })}
    </Typography.Text>
  );
}
