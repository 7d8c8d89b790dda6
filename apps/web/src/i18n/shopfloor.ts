import { shopfloorEn } from './shopfloor.en.ts';
import { shopfloorZhCN } from './shopfloor.zh-CN.ts';

/** Menu labels of the shop-floor pages, merged into the `nav` section of the main messages. */
const navEn = { floorMap: 'Floor map', floorExceptions: 'Exceptions', floorPay: 'Pay & points' };
const navZhCN: Record<keyof typeof navEn, string> = {
  floorMap: '设备看板',
  floorExceptions: '异常处理',
  floorPay: '计件与积分',
};
export type ShopfloorNavLabel = keyof typeof navEn;

export type ShopfloorNamespaces = { shopfloor: typeof shopfloorEn };

/** Adds the shop-floor namespace and menu labels to a language's resources (built by `withOrderTexts`). */
export function withShopfloorTexts<T extends { translation: { nav: object } }>(
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
    shopfloor: zh ? shopfloorZhCN : shopfloorEn,
  };
}
