import { useEffect, useMemo, useRef } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Avatar, Badge, Dropdown, Layout, Menu, Spin, Tag, Tooltip, Typography } from 'antd';
import { ControlOutlined, CustomerServiceOutlined, LogoutOutlined, MessageOutlined, TeamOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { onSessionLost } from '../api/http.ts';
import { qk } from '../lib/conversationCache.ts';
import { DEFAULT_FILTER } from '../features/inbox/InboxPage.tsx';
import { AgentRealtime } from '../realtime/agentRealtime.ts';
import { RealtimeContext, useConnection } from '../realtime/context.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';

function ConnectionBadge() {
  const { t } = useTranslation();
  const c = useConnection();
  const status = c === 'online' ? 'success' : c === 'connecting' ? 'processing' : 'error';
  const text = c === 'online' ? t('nav.online') : c === 'connecting' ? t('nav.connecting') : t('nav.reconnecting');
  return <Badge status={status} text={<span data-testid="connection" data-state={c} className="wb-conn">{text}</span>} />;
}

export function WorkbenchLayout() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const me = useQuery({ queryKey: qk.me, queryFn: api.auth.me, retry: false, staleTime: 60_000 });
  // The inbox's first list loads alongside /auth/me instead of after it.
  useEffect(() => {
    if (location.pathname.startsWith('/inbox')) void qc.prefetchQuery({ queryKey: qk.conversations(DEFAULT_FILTER), queryFn: () => api.conversations.list(DEFAULT_FILTER) });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const locRef = useRef(location);
  locRef.current = location;

  // A lost session sends the agent back to the login page; drafts stay in localStorage and
  // the page they were on is restored after signing in again.
  // Only a session that was complete can "expire"; a first visit just goes to the login page.
  const signedIn = useRef(false);
  if (me.data?.mfa) signedIn.current = true;
  // The first reason to leave wins: the socket's session.ended and the 401s of requests in
  // flight all arrive together, and a later one must not turn "expired" into a plain visit.
  const leaving = useRef(false);
  const leave = useRef<(reason: 'lost' | 'ended') => void>(() => undefined);
  leave.current = () => {
    if (leaving.current) return;
    leaving.current = true;
    const from = locRef.current.pathname + locRef.current.search;
    const expired = signedIn.current;
    signedIn.current = false;
    navigate('/login', { replace: true, state: { from, expired } });
    qc.removeQueries();
  };
  useEffect(() => onSessionLost(() => leave.current('lost')), []);

  // One realtime client per signed-in workbench, kept across route changes.
  const realtime = useMemo(
    () => new AgentRealtime(qc, () => leave.current('ended')),
    [qc],
  );
  const ready = me.data?.mfa === true;
  useEffect(() => {
    if (!ready) return;
    realtime.start();
    return () => realtime.stop();
  }, [ready, realtime]);

  if (leaving.current) return null;
  if (me.isPending) return <Spin fullscreen tip={t('app.loading')} />;
  if (me.isError || !me.data.mfa) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  const agent = me.data.agent;
  const selected = location.pathname.startsWith('/ops') ? 'ops' : location.pathname.startsWith('/admin') ? 'agents' : 'inbox';

  const logout = async () => {
    // Close the socket first: the server's session.ended for this very logout is no expiry.
    leaving.current = true;
    signedIn.current = false;
    realtime.stop();
    await api.auth.logout().catch(() => undefined);
    navigate('/login', { replace: true });
    qc.removeQueries();
  };

  return (
    <RealtimeContext.Provider value={realtime}>
      <Layout className="wb">
        <Layout.Header className="wb-header">
          <div className="wb-brand">
            <CustomerServiceOutlined className="wb-logo" />
            <span className="wb-title">{t('app.name')}</span>
            <span className="wb-sub">{t('app.workbench')}</span>
          </div>
          <Menu
            theme="dark"
            mode="horizontal"
            selectedKeys={[selected]}
            className="wb-menu"
            items={[
              { key: 'inbox', icon: <MessageOutlined />, label: t('nav.inbox'), onClick: () => navigate('/inbox') },
              ...(agent.tier === 'admin' ? [{ key: 'agents', icon: <TeamOutlined />, label: t('nav.agents'), onClick: () => navigate('/admin/agents') }] : []),
              { key: 'ops', icon: <ControlOutlined />, label: <span data-testid="nav-ops">{t('title', { ns: 'ops' })}</span>, onClick: () => navigate('/ops') },
            ]}
          />
          <div className="wb-right">
            <ConnectionBadge />
            <LanguageSwitch />
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  { key: 'who', disabled: true, label: <span>{agent.email}</span> },
                  { type: 'divider' },
                  { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="logout">{t('nav.logout')}</span>, onClick: () => void logout() },
                ],
              }}
            >
              <span className="wb-user" data-testid="user-menu">
                <Avatar size="small" style={{ background: '#1677ff' }}>
                  {agent.name.slice(0, 1)}
                </Avatar>
                <Typography.Text className="wb-user-name">{agent.name}</Typography.Text>
                <Tooltip title={t('agents.tier')}>
                  <Tag color={agent.tier === 'admin' ? 'gold' : agent.tier === 'senior' ? 'blue' : 'default'} bordered={false}>
                    {t(`tier.${agent.tier}`)}
                  </Tag>
                </Tooltip>
              </span>
            </Dropdown>
          </div>
        </Layout.Header>
        <Layout.Content className="wb-content">
          <Outlet context={agent} />
        </Layout.Content>
      </Layout>
    </RealtimeContext.Provider>
  );
}
