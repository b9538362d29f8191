// The figure's string catalogs and a lookup with {placeholders}. A missing key is an error in
// development (tests/e2e/i18n.test.mjs), and shows as the key itself, never as a blank.
import en from './en.js';
import zh from './zh.js';

export const CATALOGS = { en, zh };

/** `lang` ("en", "zh", "zh-CN", ...) as a catalog name, or null if there is none. */
export function language(lang) {
  const base = String(lang ?? '').toLowerCase().split('-')[0];
  return base in CATALOGS ? base : null;
}

/** The lookup for `lang`: t('status.paused', {step: 3}). */
export function translator(lang = 'en') {
  const catalog = CATALOGS[language(lang) ?? 'en'];
  return (key, vars = {}) => (catalog[key] ?? en[key] ?? key).replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}

/** English, for the lab page. */
export const t = translator('en');
