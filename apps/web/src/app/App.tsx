import { lazy, Suspense, useEffect, useMemo } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Spin, theme } from 'antd';
import zhCNLocale from 'antd/locale/zh_CN';
import enUSLocale from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import { useTranslation } from 'react-i18next';
import { asApiError } from '../api/errors.ts';
import { WorkbenchLayout } from './WorkbenchLayout.tsx';
import { InboxPage } from '../features/inbox/InboxPage.tsx';

// Pages off the agent's daily path load on demand, so the inbox parses less on a cold start.
const CustomerPage = lazy(() => import('../features/customer/CustomerPage.tsx'));
const LoginPage = lazy(() => import('../features/auth/LoginPage.tsx').then((m) => ({ default: m.LoginPage })));
const AgentsPage = lazy(() => import('../features/admin/AgentsPage.tsx').then((m) => ({ default: m.AgentsPage })));
const OpsRoutes = lazy(() => import('../features/ops/OpsRoutes.tsx'));
const page = (el: React.ReactNode) => <Suspense fallback={<Spin fullscreen />}>{el}</Suspense>;

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: true,
        retry: (n, e) => {
          const err = asApiError(e);
          return n < 2 && err.retryable;
        },
      },
    },
  });
}

function Themed({ children }: { children: React.ReactNode }) {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  useEffect(() => {
    dayjs.locale(en ? 'en' : 'zh-cn');
  }, [en]);
  return (
    <ConfigProvider
      locale={en ? enUSLocale : zhCNLocale}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: {
          colorPrimary: '#1677ff',
          borderRadius: 6,
          fontFamily:
            "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
        },
      }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function App() {
  const qc = useMemo(makeQueryClient, []);
  return (
    <QueryClientProvider client={qc}>
      <Themed>
        <BrowserRouter>
          <Routes>
            <Route path="/login" element={page(<LoginPage />)} />
            <Route path="/c" element={page(<CustomerPage />)} />
            <Route element={<WorkbenchLayout />}>
              <Route index element={<Navigate to="/inbox" replace />} />
              <Route path="/inbox" element={<InboxPage />} />
              <Route path="/inbox/:conversationId" element={<InboxPage />} />
              <Route path="/admin/agents" element={page(<AgentsPage />)} />
              <Route path="/ops/*" element={page(<OpsRoutes />)} />
            </Route>
            <Route path="*" element={<Navigate to="/inbox" replace />} />
          </Routes>
        </BrowserRouter>
      </Themed>
    </QueryClientProvider>
  );
}
