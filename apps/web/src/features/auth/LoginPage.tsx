import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Space, Steps, Typography } from 'antd';
import { CustomerServiceOutlined, LockOutlined, MailOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import QRCode from 'qrcode';
import { api } from '../../api/client.ts';
import { asApiError } from '../../api/errors.ts';
import { errorText } from '../../i18n/index.ts';
import { qk } from '../../lib/conversationCache.ts';
import { LanguageSwitch } from '../../app/LanguageSwitch.tsx';

type Step = 'password' | 'enroll' | 'verify';

function OtpForm({ submitting, onSubmit }: { submitting: boolean; onSubmit: (code: string) => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  return (
    <Form layout="vertical" onFinish={() => onSubmit(code)} requiredMark={false}>
      <Form.Item label={t('login.code')} required>
        <Input.OTP
          length={6}
          value={code}
          onChange={(v) => {
            setCode(v);
            if (/^\d{6}$/.test(v)) onSubmit(v);
          }}
          formatter={(s) => s.replace(/\D/g, '')}
          autoFocus
          data-testid="otp"
          size="large"
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" block size="large" loading={submitting} disabled={!/^\d{6}$/.test(code)} data-testid="verify">
        {t('login.verify')}
      </Button>
    </Form>
  );
}

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const state = (location.state ?? {}) as { from?: string; expired?: boolean };
  const [step, setStep] = useState<Step>('password');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [enrol, setEnrol] = useState<{ secret: string; otpauthUrl: string; qr: string } | null>(null);

  // A session that passed the password but not the second factor resumes at the second step.
  useEffect(() => {
    let live = true;
    api.auth
      .me()
      .then((me) => {
        if (!live) return;
        if (me.mfa) navigate(state.from ?? '/inbox', { replace: true });
        else void goSecondFactor(me.agent.totpEnrolled ? 'totp_verify' : 'totp_enroll');
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  async function goSecondFactor(next: 'totp_enroll' | 'totp_verify') {
    setError(null);
    if (next === 'totp_verify') {
      setStep('verify');
      return;
    }
    const r = await api.auth.enroll();
    const qr = await QRCode.toDataURL(r.otpauthUrl, { margin: 1, width: 200, errorCorrectionLevel: 'M' });
    setEnrol({ ...r, qr });
    setStep('enroll');
  }

  async function onPassword(v: { email: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      const r = await api.auth.login({ email: v.email.trim(), password: v.password });
      await goSecondFactor(r.next);
    } catch (e) {
      const err = asApiError(e);
      // Enrolment already done elsewhere (another tab): just ask for the code.
      if (err.code === 'TOTP_ALREADY_ENROLLED') setStep('verify');
      else setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function onCode(code: string) {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api.auth.verify({ code });
      qc.setQueryData(qk.me, { agent: r.agent, mfa: true });
      navigate(state.from && state.from !== '/login' ? state.from : '/inbox', { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const current = step === 'password' ? 0 : 1;
  return (
    <div className="login-page">
      <div className="login-top">
        <span className="login-brand">
          <CustomerServiceOutlined /> {t('app.name')} · {t('app.workbench')}
        </span>
        <LanguageSwitch />
      </div>
      <div className="login-body">
        <div className="login-hero">
          <Typography.Title level={2} style={{ color: '#fff', marginBottom: 8 }}>
            {t('app.workbench')}
          </Typography.Title>
          <Typography.Paragraph style={{ color: 'rgba(255,255,255,.85)', fontSize: 16 }}>{t('app.tagline')}</Typography.Paragraph>
        </div>
        <Card className="login-card" variant="borderless">
          <Steps
            size="small"
            current={current}
            className="login-steps"
            items={[{ title: t('login.steps.password') }, { title: t('login.steps.mfa') }, { title: t('login.steps.done') }]}
          />
          {state.expired && step === 'password' && <Alert type="warning" showIcon title={t('login.sessionExpired')} className="login-alert" data-testid="session-expired" />}
          {error != null && <Alert type="error" showIcon title={errorText(error, t)} className="login-alert" data-testid="login-error" />}

          {step === 'password' && (
            <>
              <Typography.Title level={4}>{t('login.title')}</Typography.Title>
              <Typography.Paragraph type="secondary">{t('login.subtitle')}</Typography.Paragraph>
              <Form layout="vertical" onFinish={onPassword} requiredMark={false} size="large">
                <Form.Item name="email" label={t('login.email')} rules={[{ required: true, message: t('login.required') }]}>
                  <Input prefix={<MailOutlined />} placeholder={t('login.emailPlaceholder')} autoComplete="username" data-testid="email" />
                </Form.Item>
                <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.required') }]}>
                  <Input.Password prefix={<LockOutlined />} placeholder={t('login.passwordPlaceholder')} autoComplete="current-password" data-testid="password" />
                </Form.Item>
                <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
                  {t('login.submit')}
                </Button>
              </Form>
            </>
          )}

          {step === 'enroll' && enrol && (
            <>
              <Typography.Title level={4}>
                <SafetyCertificateOutlined /> {t('login.enrollTitle')}
              </Typography.Title>
              <Typography.Paragraph>{t('login.enrollStep1')}</Typography.Paragraph>
              <div className="login-qr">
                <img src={enrol.qr} alt={t('login.qrAlt')} width={180} height={180} data-testid="totp-qr" />
              </div>
              <Typography.Paragraph>{t('login.enrollStep2')}</Typography.Paragraph>
              <Space className="login-secret">
                <Typography.Text type="secondary">{t('login.secret')}</Typography.Text>
                <Typography.Text code copyable={{ text: enrol.secret }} data-testid="totp-secret">
                  {enrol.secret.replace(/(.{4})/g, '$1 ').trim()}
                </Typography.Text>
              </Space>
              <Typography.Paragraph>{t('login.enrollStep3')}</Typography.Paragraph>
              <OtpForm submitting={busy} onSubmit={(c) => void onCode(c)} />
            </>
          )}

          {step === 'verify' && (
            <>
              <Typography.Title level={4}>
                <SafetyCertificateOutlined /> {t('login.verifyTitle')}
              </Typography.Title>
              <Typography.Paragraph type="secondary">{t('login.verifySubtitle')}</Typography.Paragraph>
              <OtpForm submitting={busy} onSubmit={(c) => void onCode(c)} />
            </>
          )}
          {step !== 'password' && (
            <Button type="link" block onClick={() => setStep('password')} style={{ marginTop: 8 }}>
              {t('login.back')}
            </Button>
          )}
          <Typography.Paragraph type="secondary" className="login-footer">
            {t('login.footer')}
          </Typography.Paragraph>
        </Card>
      </div>
    </div>
  );
}
