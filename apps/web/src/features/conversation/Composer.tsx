import { memo, useCallback, useEffect, useRef, useState } from 'react';
import { Button, Typography } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { LIMITS } from '@kefu/shared';

/**
 * The hint and the send button, memoised: they change only when sending becomes possible or
 * not, so a keystroke re-renders the textarea alone (antd components re-compute their styles
 * on every render, which would cost more than the frame budget we keep for typing).
 */
const ComposerBar = memo(function ComposerBar({ compact, canSend, tooLong, count, onSend }: { compact: boolean; canSend: boolean; tooLong: boolean; count: number; onSend: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="composer-bar">
      {!compact && (
        <Typography.Text type={tooLong ? 'danger' : 'secondary'} className="composer-hint">
          {tooLong ? t('composer.tooLong', { max: LIMITS.messageTextMax }) : t('composer.hint')}
          {count > 0 && <span> · {t('composer.counter', { count, max: LIMITS.messageTextMax })}</span>}
        </Typography.Text>
      )}
      <Button type="primary" icon={<SendOutlined />} onClick={onSend} disabled={!canSend} data-testid="composer-send">
        {t('composer.send')}
      </Button>
    </div>
  );
});

export interface ComposerProps {
  /** Initial text (a saved draft). */
  initial?: string;
  disabled?: boolean;
  placeholder?: string;
  /** Called with the trimmed text; the composer clears itself right away (the send is optimistic). */
  onSend: (text: string) => void;
  /** Every change, e.g. to save the draft. */
  onDraft?: (text: string) => void;
  /** true while the person types, false after a pause or a send. */
  onTyping?: (typing: boolean) => void;
  compact?: boolean;
  autoFocus?: boolean;
}

const TYPING_IDLE_MS = 3000;
const TYPING_REPEAT_MS = 2000;

/**
 * The composer: Enter sends, Shift+Enter makes a new line, and an IME that is composing
 * Chinese keeps its Enter. Its text is local state, so typing never re-renders the history.
 */
export function Composer({ initial = '', disabled, placeholder, onSend, onDraft, onTyping, compact, autoFocus }: ComposerProps) {
  const { t } = useTranslation();
  const [text, setText] = useState(initial);
  const typingSent = useRef(0);
  const idle = useRef<ReturnType<typeof setTimeout> | null>(null);
  const tooLong = text.length > LIMITS.messageTextMax;
  const canSend = !disabled && text.trim().length > 0 && !tooLong;

  useEffect(
    () => () => {
      if (idle.current) clearTimeout(idle.current);
    },
    [],
  );

  function stopTyping() {
    if (idle.current) clearTimeout(idle.current);
    idle.current = null;
    if (typingSent.current) {
      typingSent.current = 0;
      onTyping?.(false);
    }
  }

  function change(v: string) {
    setText(v);
    onDraft?.(v);
    if (!onTyping) return;
    const now = Date.now();
    if (v && now - typingSent.current > TYPING_REPEAT_MS) {
      typingSent.current = now;
      onTyping(true);
    }
    if (idle.current) clearTimeout(idle.current);
    idle.current = setTimeout(stopTyping, TYPING_IDLE_MS);
    if (!v) stopTyping();
  }

  const latest = useRef({ canSend, text, onSend, onDraft, stopTyping });
  latest.current = { canSend, text, onSend, onDraft, stopTyping };
  // Stable, so the memoised bar does not re-render on every keystroke.
  const send = useCallback(() => {
    const l = latest.current;
    if (!l.canSend) return;
    const v = l.text.trim();
    setText('');
    l.onDraft?.('');
    l.stopTyping();
    l.onSend(v);
  }, []);

  return (
    <div className={`composer${compact ? ' compact' : ''}`} data-testid="composer">
      {/* A native textarea sized by CSS (field-sizing): antd's autoSize measures with a hidden
          clone on every keystroke, which costs a style recalculation of the whole page. */}
      <textarea
        className={`composer-input${tooLong ? ' error' : ''}`}
        value={text}
        onChange={(e) => change(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing && e.keyCode !== 229) {
            e.preventDefault();
            send();
          }
        }}
        placeholder={placeholder ?? t('composer.placeholder')}
        rows={compact ? 1 : 3}
        disabled={disabled}
        autoFocus={autoFocus}
        aria-label={placeholder ?? t('composer.placeholder')}
        aria-invalid={tooLong || undefined}
        data-testid="composer-input"
      />
      <ComposerBar compact={!!compact} canSend={canSend} tooLong={tooLong} count={text.length > LIMITS.messageTextMax * 0.8 ? text.length : 0} onSend={send} />
    </div>
  );
}
