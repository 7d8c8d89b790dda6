import { integrationEn } from './integration.en.ts';
import { integrationZhCN } from './integration.zh-CN.ts';

/** Menu labels of the integration pages, merged into the `nav` section of the main messages. */
const navEn = {
  integrationMonitor: 'Monitor',
  webhooks: 'Webhooks',
  requestLog: 'Request log',
  reconciliation: 'Reconciliation',
  alertChannels: 'Alert channels',
};
const navZhCN: Record<keyof typeof navEn, string> = {
  integrationMonitor: '集成监控',
  webhooks: 'Webhook',
  requestLog: '请求日志',
  reconciliation: '对账',
  alertChannels: '告警渠道',
};
export type IntegrationNavLabel = keyof typeof navEn;

export type IntegrationNamespaces = { integration: typeof integrationEn };

/** Adds the integration namespace and menu labels to a language's resources. */
export function withIntegrationTexts<T extends { translation: { nav: object } }>(
  lang: 'en' | 'zh-CN',
  resources: T,
) {
  const zh = lang === 'zh-CN';
  return {
    ...resources,
    translation: {
      ...resources.translation,
      nav: { ...resources.translation.nav, ...(zh ? navZhCN : navEn) },
    },
    integration: zh ? integrationZhCN : integrationEn,
  };
}
