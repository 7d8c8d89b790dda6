import { mrpEn } from './mrp.en.ts';
import { mrpZhCN } from './mrp.zh-CN.ts';
import { purchasingEn } from './purchasing.en.ts';
import { purchasingZhCN } from './purchasing.zh-CN.ts';
import { salesEn } from './sales.en.ts';
import { salesZhCN } from './sales.zh-CN.ts';

/** Menu labels of the order pages, merged into the `nav` section of the main messages. */
const navEn = { mrp: 'MRP', scheduling: 'Scheduling' };
const navZhCN: Record<keyof typeof navEn, string> = { mrp: 'MRP 物料需求', scheduling: '排程' };
export type OrderNavLabel = keyof typeof navEn;

/** The namespaces of the sales, purchasing and MRP pages. */
export type OrderNamespaces = { sales: typeof salesEn; purchasing: typeof purchasingEn; mrp: typeof mrpEn };

/** Adds the order pages' namespaces and menu labels to a language's resources. */
export function withOrderTexts<T extends { nav: object }>(lang: 'en' | 'zh-CN', translation: T) {
  const zh = lang === 'zh-CN';
  return {
    translation: { ...translation, nav: { ...translation.nav, ...(zh ? navZhCN : navEn) } },
    sales: zh ? salesZhCN : salesEn,
    purchasing: zh ? purchasingZhCN : purchasingEn,
    mrp: zh ? mrpZhCN : mrpEn,
  };
}
