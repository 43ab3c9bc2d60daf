// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { LIMITS } from '@kefu/shared';
import i18n from '../../i18n/index.ts';
import { Composer } from './Composer.tsx';

beforeAll(async () => {
  await i18n.changeLanguage('zh-CN');
});
afterEach(cleanup);

function setup(props: Partial<React.ComponentProps<typeof Composer>> = {}) {
  const onSend = vi.fn();
  const onDraft = vi.fn();
  const onTyping = vi.fn();
  render(<Composer onSend={onSend} onDraft={onDraft} onTyping={onTyping} {...props} />);
  const input = screen.getByTestId('composer-input') as HTMLTextAreaElement;
  return { onSend, onDraft, onTyping, input };
}

describe('Composer', () => {
  it('sends the trimmed text on Enter and clears itself', () => {
    const { onSend, onDraft, input } = setup();
    fireEvent.change(input, { target: { value: '  您好，请问订单号是多少？ ' } });
    fireEvent.keyDown(input, { key: 'Enter', code: 'Enter', keyCode: 13 });
    expect(onSend).toHaveBeenCalledWith('您好，请问订单号是多少？');
    expect(input.value).toBe('');
    expect(onDraft).toHaveBeenLastCalledWith('');
  });

  it('keeps Shift+Enter for a new line', () => {
    const { onSend, input } = setup();
    fireEvent.change(input, { target: { value: '第一行' } });
    fireEvent.keyDown(input, { key: 'Enter', code: 'Enter', keyCode: 13, shiftKey: true });
    expect(onSend).not.toHaveBeenCalled();
    expect(input.value).toBe('第一行');
  });

  it('leaves Enter to an IME that is composing Chinese', () => {
    const { onSend, input } = setup();
    fireEvent.change(input, { target: { value: 'ni' } });
    fireEvent.keyDown(input, { key: 'Enter', keyCode: 229 });
    fireEvent.keyDown(input, { key: 'Enter', keyCode: 13, isComposing: true });
    expect(onSend).not.toHaveBeenCalled();
  });

  it('does not send blank text, or text over the limit', () => {
    const { onSend, input } = setup();
    fireEvent.change(input, { target: { value: '   \n ' } });
    fireEvent.keyDown(input, { key: 'Enter', keyCode: 13 });
    fireEvent.change(input, { target: { value: 'x'.repeat(LIMITS.messageTextMax + 1) } });
    fireEvent.keyDown(input, { key: 'Enter', keyCode: 13 });
    expect(onSend).not.toHaveBeenCalled();
    expect(screen.getByText(`消息不能超过 ${LIMITS.messageTextMax} 字`)).toBeTruthy();
    expect((screen.getByTestId('composer-send') as HTMLButtonElement).disabled).toBe(true);
  });

  it('the send button sends too', () => {
    const { onSend, input } = setup();
    fireEvent.change(input, { target: { value: '好的' } });
    fireEvent.click(screen.getByTestId('composer-send'));
    expect(onSend).toHaveBeenCalledWith('好的');
  });

  it('starts with the saved draft and reports every change', () => {
    const { onDraft, input } = setup({ initial: '未发完的草稿' });
    expect(input.value).toBe('未发完的草稿');
    fireEvent.change(input, { target: { value: '未发完的草稿。' } });
    expect(onDraft).toHaveBeenLastCalledWith('未发完的草稿。');
  });

  it('reports typing once per burst and stops after a pause or a send', () => {
    vi.useFakeTimers();
    try {
      const { onTyping, input } = setup();
      fireEvent.change(input, { target: { value: 'a' } });
      fireEvent.change(input, { target: { value: 'ab' } });
      expect(onTyping.mock.calls).toEqual([[true]]);
      act(() => void vi.advanceTimersByTime(3500));
      expect(onTyping.mock.calls).toEqual([[true], [false]]);
      fireEvent.change(input, { target: { value: 'abc' } });
      fireEvent.keyDown(input, { key: 'Enter', keyCode: 13 });
      expect(onTyping.mock.calls).toEqual([[true], [false], [true], [false]]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('is disabled when the conversation is closed', () => {
    const { onSend, input } = setup({ disabled: true });
    expect(input.disabled).toBe(true);
    fireEvent.keyDown(input, { key: 'Enter', keyCode: 13 });
    expect(onSend).not.toHaveBeenCalled();
  });
});
