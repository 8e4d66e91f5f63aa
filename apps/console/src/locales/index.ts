import { createI18n } from 'vue-i18n';
import enUS from './en-US.json';
import zhCN from './zh-CN.json';

export type Locale = 'zh-CN' | 'en-US';
const STORAGE_KEY = 'flowdesk.locale';

export function initialLocale(): Locale {
  return globalThis.localStorage?.getItem(STORAGE_KEY) === 'en-US' ? 'en-US' : 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, 'en-US': enUS },
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}

/** What the gateway reads from Accept-Language for its messages. */
export function acceptLanguage(): string {
  return i18n.global.locale.value === 'en-US' ? 'en' : 'zh-CN';
}
