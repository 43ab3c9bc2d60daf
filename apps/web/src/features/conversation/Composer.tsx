import { memo, useCallback, useEffect, useImperativeHandle, useRef, useState, type ReactNode, type Ref } from 'react';
import { Button, Typography } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { LIMITS } from '@kefu/shared';

/**
 * The hint and the send button, memoised: they change only when sending becomes possible or
 * not, so a keystroke re-renders the textarea alone (antd components re-compute their styles
 * on every render, which would cost more than the frame budget we keep for typing).
 */
const ComposerBar = memo(function ComposerBar({ compact, canSend, tooLong, count, onSend, tools }: { compact: boolean; canSend: boolean; tooLong: boolean; count: number; onSend: () => void; tools?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="composer-bar">
      {tools}
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

/** What a parent may do to the composer: put text back (a refused message) and focus it. */
export interface ComposerHandle {
  setText(text: string): void;
  /** Insert at the cursor (replacing a selection), as typing would. */
  insert(text: string): void;
  focus(): void;
}

export interface ComposerProps {
  handle?: Ref<ComposerHandle>;
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
  /**
   * A canned-reply hotkey, slot 1–9: Ctrl+digit (the installed PWA window keeps it) or
   * Alt+digit (a browser tab keeps Ctrl+digit for switching tabs).
   */
  onHotkey?: (slot: number) => void;
  /** Buttons beside the hint (attach a file…); keep the element stable, the bar is memoised. */
  tools?: ReactNode;
}

const TYPING_IDLE_MS = 3000;
const TYPING_REPEAT_MS = 2000;

/**
 * The composer: Enter sends, Shift+Enter makes a new line, and an IME that is composing
 * Chinese keeps its Enter. Its text is local state, so typing never re-renders the history.
 */
interface Flags {
  empty: boolean;
  tooLong: boolean;
  /** The length, once it is worth showing (over 80 % of the limit), else 0. */
  count: number;
}
function flagsOf(v: string): Flags {
  return { empty: v.trim().length === 0, tooLong: v.length > LIMITS.messageTextMax, count: v.length > LIMITS.messageTextMax * 0.8 ? v.length : 0 };
}

/**
 * The text lives in the (uncontrolled) textarea, not in React state: a keystroke costs the
 * browser's own editing and nothing else, whatever the conversation holds. React re-renders
 * only when sending becomes possible or not, or the counter shows.
 */
export function Composer({ initial = '', disabled, placeholder, onSend, onDraft, onTyping, compact, autoFocus, handle, onHotkey, tools }: ComposerProps) {
  const { t } = useTranslation();
  const box = useRef<HTMLTextAreaElement>(null);
  const [flags, setFlags] = useState<Flags>(() => flagsOf(initial));
  const typingSent = useRef(0);
  const idle = useRef<ReturnType<typeof setTimeout> | null>(null);
  const canSend = !disabled && !flags.empty && !flags.tooLong;

  useEffect(
    () => () => {
      if (idle.current) clearTimeout(idle.current);
    },
    [],
  );

  const latest = useRef({ canSend, onSend, onDraft, onTyping });
  latest.current = { canSend, onSend, onDraft, onTyping };

  const update = useCallback((v: string) => {
    const f = flagsOf(v);
    setFlags((p) => (p.empty === f.empty && p.tooLong === f.tooLong && p.count === f.count ? p : f));
  }, []);

  const stopTyping = useCallback(() => {
    if (idle.current) clearTimeout(idle.current);
    idle.current = null;
    if (typingSent.current) {
      typingSent.current = 0;
      latest.current.onTyping?.(false);
    }
  }, []);

  function change(v: string) {
    update(v);
    const l = latest.current;
    l.onDraft?.(v);
    if (!l.onTyping) return;
    const now = Date.now();
    if (v && now - typingSent.current > TYPING_REPEAT_MS) {
      typingSent.current = now;
      l.onTyping(true);
    }
    if (idle.current) clearTimeout(idle.current);
    idle.current = setTimeout(stopTyping, TYPING_IDLE_MS);
    if (!v) stopTyping();
  }

  useImperativeHandle(
    handle,
    () => ({
      setText(v: string) {
        if (!box.current) return;
        box.current.value = v;
        update(v);
        latest.current.onDraft?.(v);
      },
      insert(v: string) {
        const el = box.current;
        if (!el) return;
        el.setRangeText(v, el.selectionStart, el.selectionEnd, 'end');
        change(el.value);
        el.focus();
      },
      focus() {
        box.current?.focus();
      },
    }),
    [update],
  );

  // Stable, so the memoised bar does not re-render on every keystroke.
  const send = useCallback(() => {
    const el = box.current;
    const l = latest.current;
    if (!el || !l.canSend) return;
    const v = el.value.trim();
    if (!v || el.value.length > LIMITS.messageTextMax) return;
    el.value = '';
    update('');
    l.onDraft?.('');
    stopTyping();
    l.onSend(v);
  }, [update, stopTyping]);

  return (
    <div className={`composer${compact ? ' compact' : ''}`} data-testid="composer">
      {/* A native textarea: antd's autoSize measures with a hidden clone on every keystroke,
          which costs a style recalculation of the whole page. */}
      <textarea
        ref={box}
        className={`composer-input${flags.tooLong ? ' error' : ''}`}
        defaultValue={initial}
        onChange={(e) => change(e.target.value)}
        onKeyDown={(e) => {
          const slot = (e.ctrlKey || e.altKey) && !e.shiftKey && !e.metaKey ? /^Digit([1-9])$/.exec(e.code)?.[1] : undefined;
          if (slot && onHotkey) {
            e.preventDefault();
            onHotkey(Number(slot));
            return;
          }
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing && e.keyCode !== 229) {
            e.preventDefault();
            send();
          }
        }}
        placeholder={placeholder ?? t('composer.placeholder')}
        rows={compact ? 1 : 4}
        disabled={disabled}
        autoFocus={autoFocus}
        aria-label={placeholder ?? t('composer.placeholder')}
        aria-invalid={flags.tooLong || undefined}
        data-testid="composer-input"
      />
      <ComposerBar compact={!!compact} canSend={canSend} tooLong={flags.tooLong} count={flags.count} onSend={send} tools={tools} />
    </div>
  );
}
