/**
 * The admin center: a left menu of the admin and supervisor pages (issues 5 and 6), mounted by
 * the workbench at `/ops/*`. Admin-only entries are hidden from other tiers; the pages refuse
 * them too, and the server answers TIER_FORBIDDEN anyway.
 */
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate, useOutletContext } from 'react-router';
import { Layout, Menu, Spin, type MenuProps } from 'antd';
import {
  AuditOutlined,
  BookOutlined,
  CloudDownloadOutlined,
  ExceptionOutlined,
  FileSearchOutlined,
  FilterOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { Agent } from '@kefu/shared';
import { OpsAgentContext, useOpsT } from './common.tsx';
import './ops.css';

const AgentsAdminPage = lazy(() => import('./AgentsAdminPage.tsx'));
const PolicyPage = lazy(() => import('./PolicyPage.tsx'));
const TemplatesPage = lazy(() => import('./TemplatesPage.tsx'));
const LexiconPage = lazy(() => import('./LexiconPage.tsx'));
const ReviewPage = lazy(() => import('./ReviewPage.tsx'));
const ViolationsPage = lazy(() => import('./ViolationsPage.tsx'));
const ExportsPage = lazy(() => import('./ExportsPage.tsx'));
const AuditPage = lazy(() => import('./AuditPage.tsx'));

interface Entry {
  key: string;
  icon: React.ReactNode;
  adminOnly: boolean;
  group: 'groupPeople' | 'groupContent' | 'groupReview' | 'groupData';
  element: React.ReactNode;
}

const ENTRIES: Entry[] = [
  { key: 'agents', icon: <TeamOutlined />, adminOnly: true, group: 'groupPeople', element: <AgentsAdminPage /> },
  { key: 'policy', icon: <SafetyCertificateOutlined />, adminOnly: true, group: 'groupPeople', element: <PolicyPage /> },
  { key: 'templates', icon: <BookOutlined />, adminOnly: false, group: 'groupContent', element: <TemplatesPage /> },
  { key: 'lexicon', icon: <FilterOutlined />, adminOnly: true, group: 'groupContent', element: <LexiconPage /> },
  { key: 'review', icon: <FileSearchOutlined />, adminOnly: true, group: 'groupReview', element: <ReviewPage /> },
  { key: 'violations', icon: <ExceptionOutlined />, adminOnly: false, group: 'groupReview', element: <ViolationsPage /> },
  { key: 'exports', icon: <CloudDownloadOutlined />, adminOnly: true, group: 'groupData', element: <ExportsPage /> },
  { key: 'audit', icon: <AuditOutlined />, adminOnly: true, group: 'groupData', element: <AuditPage /> },
];

export function opsEntriesFor(tier: Agent['tier']): string[] {
  return ENTRIES.filter((e) => tier === 'admin' || !e.adminOnly).map((e) => e.key);
}

export default function OpsRoutes() {
  const me = useOutletContext<Agent>();
  const { t } = useOpsT();
  const navigate = useNavigate();
  const location = useLocation();
  const visible = ENTRIES.filter((e) => me.tier === 'admin' || !e.adminOnly);
  const selected = location.pathname.split('/')[2] ?? visible[0]!.key;
  const groups = [...new Set(visible.map((e) => e.group))];
  const items: MenuProps['items'] = groups.map((g) => ({
    type: 'group',
    key: g,
    label: t(`menu.${g}`),
    children: visible.filter((e) => e.group === g).map((e) => ({ key: e.key, icon: e.icon, label: <span data-testid={`ops-nav-${e.key}`}>{t(`menu.${e.key}`)}</span> })),
  }));
  return (
    <OpsAgentContext.Provider value={me}>
      <Layout className="ops-layout" hasSider>
        <Layout.Sider width={208} className="ops-sider" breakpoint="lg" collapsedWidth={56}>
          <Menu mode="inline" selectedKeys={[selected]} items={items} onClick={(i) => navigate(`/ops/${i.key}`)} style={{ paddingTop: 8 }} />
        </Layout.Sider>
        <Layout.Content className="ops-main">
          <Suspense fallback={<Spin style={{ display: 'block', margin: '80px auto' }} />}>
            <Routes>
              <Route index element={<Navigate to={visible[0]!.key} replace />} />
              {/* Every page stays routable: a basic agent following an admin link sees a 403 page, not a blank one. */}
              {ENTRIES.map((e) => (
                <Route key={e.key} path={e.key} element={e.element} />
              ))}
              <Route path="*" element={<Navigate to={visible[0]!.key} replace />} />
            </Routes>
          </Suspense>
        </Layout.Content>
      </Layout>
    </OpsAgentContext.Provider>
  );
}
