import { useEffect, useRef } from 'react';

/**
 * Every user action is one command: a name, a label key, a hotkey, whether it is enabled and
 * what it does. Buttons, menus and the keyboard all call the same `perform` (STYLE 16).
 */
export interface Command {
  id: string;
  labelKey: string;
  /** e.g. 'Alt+ArrowDown', '/', 'Enter' — matched against KeyboardEvent. */
  hotkey?: string;
  /** When the focus is in a text field, only hotkeys with a modifier fire, unless this is set. */
  inInput?: boolean;
  enabled?: () => boolean;
  perform: () => void;
}

export function matchesHotkey(e: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>, hotkey: string): boolean {
  const parts = hotkey.split('+');
  const key = parts.pop()!;
  const want = new Set(parts.map((p) => p.toLowerCase()));
  if (e.altKey !== want.has('alt') || e.ctrlKey !== want.has('ctrl') || e.metaKey !== want.has('meta') || e.shiftKey !== want.has('shift')) return false;
  return e.key.toLowerCase() === key.toLowerCase();
}

function inTextField(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  return el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT';
}

/** Bind a set of commands' hotkeys to the window while the component is mounted. */
export function useCommands(commands: Command[]): void {
  const ref = useRef(commands);
  ref.current = commands;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.isComposing) return; // an IME is composing Chinese: the key belongs to it
      for (const c of ref.current) {
        if (!c.hotkey || !matchesHotkey(e, c.hotkey)) continue;
        const modified = e.altKey || e.ctrlKey || e.metaKey;
        if (inTextField(e.target) && !modified && !c.inInput) continue;
        if (c.enabled && !c.enabled()) continue;
        e.preventDefault();
        c.perform();
        return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
