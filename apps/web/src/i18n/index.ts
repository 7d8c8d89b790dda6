import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { type CustomFieldsNamespaces, customFieldsTexts } from './customFields.ts';
import { en } from './en.ts';
import { type IntegrationNamespaces, type IntegrationNavLabel, withIntegrationTexts } from './integration.ts';
import { type OrderNamespaces, type OrderNavLabel, withOrderTexts } from './orders.ts';
import { type PerformanceNamespaces, performanceTexts } from './performance.ts';
import { type QualityNamespaces, qualityTexts } from './quality.ts';
import { type ReportsNamespaces, reportsTexts } from './reports.ts';
import { type SchedulingNamespaces, schedulingTexts } from './scheduling.ts';
import { type SheetsNamespaces, sheetsTexts } from './sheets.ts';
import { type ShopfloorNamespaces, type ShopfloorNavLabel, withShopfloorTexts } from './shopfloor.ts';
import { zhCN } from './zh-CN.ts';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'takt.language';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: {
      translation: typeof en & {
        nav: Record<OrderNavLabel | ShopfloorNavLabel | IntegrationNavLabel, string>;
      };
    } & OrderNamespaces &
      ShopfloorNamespaces &
      SchedulingNamespaces &
      SheetsNamespaces &
      QualityNamespaces &
      PerformanceNamespaces &
      ReportsNamespaces &
      CustomFieldsNamespaces &
      IntegrationNamespaces;
  }
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The remembered choice, else the browser's preference: any Chinese variant → zh-CN, otherwise English. */
export function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // storage may be blocked; fall through to the browser language
  }
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export function currentLanguage(): Language {
  return isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : 'en';
}

export async function changeLanguage(language: Language): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // not remembered, but still switched
  }
  await i18n.changeLanguage(language);
}

i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

// Resources are bundled, so initialisation finishes synchronously.
void i18n.use(initReactI18next).init({
  resources: {
    en: {
      ...withIntegrationTexts('en', withShopfloorTexts('en', withOrderTexts('en', en))),
      ...schedulingTexts('en'),
      ...sheetsTexts('en'),
      ...qualityTexts('en'),
      ...performanceTexts('en'),
      ...reportsTexts('en'),
      ...customFieldsTexts('en'),
    },
    'zh-CN': {
      ...withIntegrationTexts('zh-CN', withShopfloorTexts('zh-CN', withOrderTexts('zh-CN', zhCN))),
      ...schedulingTexts('zh-CN'),
      ...sheetsTexts('zh-CN'),
      ...qualityTexts('zh-CN'),
      ...performanceTexts('zh-CN'),
      ...reportsTexts('zh-CN'),
      ...customFieldsTexts('zh-CN'),
    },
  },
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
});

export { i18n };
