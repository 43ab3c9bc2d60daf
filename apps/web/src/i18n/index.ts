import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from './zh-CN.ts';
import en from './en.ts';
import opsZhCN from './ops.zh-CN.ts';
import opsEn from './ops.en.ts';
import type { AnyErrorCode } from '../api/errors.ts';
import { asApiError } from '../api/errors.ts';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const resources = { 'zh-CN': { translation: zhCN, ops: opsZhCN }, en: { translation: en, ops: opsEn } } as const;

const STORAGE_KEY = 'kefu.lang';

/** Chinese unless the person chose English (`?lang=en` or the header switch). */
export function initialLanguage(): Language {
  try {
    const q = new URLSearchParams(globalThis.location?.search ?? '').get('lang');
    if (q === 'en' || q === 'zh-CN') return q;
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    /* storage may be blocked (private mode): fall through */
  }
  return 'zh-CN';
}

export function setLanguage(lang: Language): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    /* ignore */
  }
  void i18n.changeLanguage(lang);
  if (globalThis.document) document.documentElement.lang = lang;
}

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});
if (globalThis.document) document.documentElement.lang = i18n.language;

/** The translated text for an error code; every code of the catalogue has one (tested). */
export function errorText(e: unknown, t: (k: string) => string = i18n.t.bind(i18n) as (k: string) => string): string {
  const code: AnyErrorCode = asApiError(e).code;
  return t(`errors.${code}`);
}

export default i18n;
