// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App as AntApp } from 'antd';
import { TIER_DEFAULTS } from '@kefu/shared';
import i18n from '../../i18n/index.ts';
import { PolicyForm } from './PolicyPage.tsx';
import { aboveCeiling, policyPatch, violations, type Policies } from './policyRules.ts';

beforeAll(async () => {
  await i18n.changeLanguage('zh-CN');
});
afterEach(cleanup);

const clone = (): Policies => JSON.parse(JSON.stringify(TIER_DEFAULTS)) as Policies;

describe('tighten-only rules', () => {
  it('treats null as unlimited and orders attachment kinds', () => {
    expect(aboveCeiling('dailyMessages', 201, 200)).toBe(true);
    expect(aboveCeiling('dailyMessages', 200, 200)).toBe(false);
    expect(aboveCeiling('dailyMessages', null, 200)).toBe(true);
    expect(aboveCeiling('dailyMessages', null, null)).toBe(false);
    expect(aboveCeiling('attachments', 'images_video', 'images')).toBe(true);
    expect(aboveCeiling('attachments', 'images', 'all')).toBe(false);
    expect(aboveCeiling('externalLinks', true, false)).toBe(true);
    expect(aboveCeiling('externalLinks', false, true)).toBe(false);
    expect(aboveCeiling('bypassesPerDay', 4, 3)).toBe(true);
  });

  it('lists every looser field and patches only what changed', () => {
    const next = clone();
    next.basic.dailyMessages = 300;
    next.senior.externalLinks = false;
    next.basic.externalLinks = true;
    expect(violations(next, clone()).sort()).toEqual(['basic.dailyMessages', 'basic.externalLinks']);
    const tighter = clone();
    tighter.basic.dailyMessages = 50;
    tighter.senior.attachments = 'images';
    expect(policyPatch(clone(), tighter)).toEqual({ tiers: { basic: { dailyMessages: 50 }, senior: { attachments: 'images' } } });
    expect(policyPatch(clone(), clone())).toBeNull();
  });
});

function setup() {
  const onSave = vi.fn();
  const utils = render(
    <AntApp>
      <PolicyForm policy={{ policies: clone(), ceiling: clone() }} onSave={onSave} />
    </AntApp>,
  );
  const field = (id: string) => {
    const el = utils.container.querySelector(`[data-testid="${id}"]`)!;
    return (el.tagName === 'INPUT' ? el : el.querySelector('input')) as HTMLInputElement;
  };
  return { onSave, field, ...utils };
}

describe('PolicyForm', () => {
  it('refuses a daily quota above the platform ceiling and sends nothing', async () => {
    const { onSave, field } = setup();
    const input = field('policy-basic-dailyMessages');
    expect(input.value).toBe('200');
    await act(async () => {
      fireEvent.change(input, { target: { value: '300' } });
    });
    await act(async () => {
      fireEvent.click(screen.getByTestId('policy-save'));
    });
    await waitFor(() => expect(screen.getByText('不能超过平台上限 200')).toBeTruthy());
    expect(onSave).not.toHaveBeenCalled();
  });

  it('refuses clearing a limited quota to "unlimited"', async () => {
    const { onSave, field } = setup();
    await act(async () => {
      fireEvent.change(field('policy-senior-dailyMessages'), { target: { value: '' } });
    });
    await act(async () => {
      fireEvent.click(screen.getByTestId('policy-save'));
    });
    await waitFor(() => expect(screen.getByText('不能超过平台上限 500')).toBeTruthy());
    expect(onSave).not.toHaveBeenCalled();
  });

  it('sends a tightened value as a patch of just that field', async () => {
    const { onSave, field } = setup();
    await act(async () => {
      fireEvent.change(field('policy-basic-dailyMessages'), { target: { value: '150' } });
    });
    await act(async () => {
      fireEvent.click(screen.getByTestId('policy-save'));
    });
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(onSave).toHaveBeenCalledWith({ tiers: { basic: { dailyMessages: 150 } } });
  });

  it('cannot switch on what the ceiling forbids', () => {
    const { container } = setup();
    const basicLinks = container.querySelector('[data-testid="policy-basic-externalLinks"]')!;
    const seniorLinks = container.querySelector('[data-testid="policy-senior-externalLinks"]')!;
    expect(basicLinks.className).toContain('disabled');
    expect(seniorLinks.className).not.toContain('disabled');
  });
});
