import dayjs from 'dayjs';

export function sameDay(a: string, b: string): boolean {
  return dayjs(a).isSame(dayjs(b), 'day');
}

/** Day separator label: today / yesterday / the date, in the UI language's format. */
export function dayLabel(iso: string, t: (k: string) => string): string {
  const d = dayjs(iso);
  const now = dayjs();
  if (d.isSame(now, 'day')) return t('conversation.today');
  if (d.isSame(now.subtract(1, 'day'), 'day')) return t('conversation.yesterday');
  return d.format(t(d.isSame(now, 'year') ? 'format.day' : 'format.dayOtherYear'));
}

export function timeOfDay(iso: string): string {
  return dayjs(iso).format('HH:mm');
}

/** The list's compact time: HH:mm today, else date. */
export function shortTime(iso: string | null, t: (k: string) => string): string {
  if (!iso) return '';
  const d = dayjs(iso);
  const now = dayjs();
  if (d.isSame(now, 'day')) return d.format('HH:mm');
  if (d.isSame(now, 'year')) return d.format(t('format.short'));
  return d.format('YYYY-MM-DD');
}

export function dateTime(iso: string): string {
  return dayjs(iso).format('YYYY-MM-DD HH:mm');
}

export function money(amount: number, lang: string): string {
  return new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'zh-CN', { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol' }).format(amount);
}
