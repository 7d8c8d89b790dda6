import type { PurchaseOrder } from '@takt/contracts';

/**
 * A purchase order as one self-contained HTML page for the browser's print dialog (A4, no scripts,
 * no external assets). PDF output is left to the document library the sales module settles on.
 */
const TEXT = {
  'zh-CN': {
    title: '采购订单',
    supplier: '供应商',
    code: '订单号',
    date: '日期',
    status: '状态',
    currency: '币种',
    no: '行号',
    item: '物料编码',
    name: '名称',
    qty: '数量',
    uom: '单位',
    price: '单价',
    amount: '金额',
    due: '交期',
    total: '合计',
    notes: '备注',
    tolerance: '超收容差',
    buyer: '采购员签字',
    approver: '审批人签字',
    vendor: '供应商确认（签字盖章）',
  },
  en: {
    title: 'Purchase Order',
    supplier: 'Supplier',
    code: 'PO number',
    date: 'Date',
    status: 'Status',
    currency: 'Currency',
    no: 'Line',
    item: 'Item',
    name: 'Description',
    qty: 'Qty',
    uom: 'Unit',
    price: 'Unit price',
    amount: 'Amount',
    due: 'Due',
    total: 'Total',
    notes: 'Notes',
    tolerance: 'Over-receipt tolerance',
    buyer: 'Buyer',
    approver: 'Approved by',
    vendor: 'Supplier acknowledgement (signature and stamp)',
  },
} as const;

export type PrintLang = keyof typeof TEXT;

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

export function renderOrder(po: PurchaseOrder, lang: PrintLang = 'zh-CN'): string {
  const t = TEXT[lang];
  const e = escapeHtml;
  const rows = po.lines
    .filter((l) => l.status !== 'cancelled')
    .map(
      (l) =>
        `<tr><td>${l.lineNo}</td><td>${e(l.itemCode)}</td><td>${e(l.itemName)}</td>` +
        `<td class="n">${e(l.qty)}</td><td>${e(l.uom)}</td><td class="n">${e(l.unitPrice)}</td>` +
        `<td class="n">${e(l.amount)}</td><td>${e(l.dueDate)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<title>${e(t.title)} ${e(po.code)}</title>
<style>
  @page { size: A4; margin: 15mm; }
  body { font-family: "Noto Sans SC", "PingFang SC", "Microsoft YaHei", Arial, sans-serif; font-size: 11pt; color: #000; }
  h1 { font-size: 18pt; text-align: center; margin: 0 0 8mm; letter-spacing: 0.1em; }
  table { width: 100%; border-collapse: collapse; }
  .head td { padding: 1mm 2mm; }
  .lines { margin-top: 6mm; }
  .lines th, .lines td { border: 0.3mm solid #000; padding: 1.5mm 2mm; }
  .lines th { background: #eee; }
  .n { text-align: right; font-variant-numeric: tabular-nums; }
  tr { page-break-inside: avoid; }
  thead { display: table-header-group; }
  .sign { margin-top: 15mm; display: flex; justify-content: space-between; }
  .sign div { width: 30%; border-top: 0.3mm solid #000; padding-top: 1mm; font-size: 9pt; }
  @media screen { body { max-width: 210mm; margin: 10mm auto; } }
</style>
</head>
<body>
<h1>${e(t.title)}</h1>
<table class="head">
<tr><td>${e(t.code)}: <strong>${e(po.code)}</strong></td><td>${e(t.date)}: ${e(po.createdAt.slice(0, 10))}</td></tr>
<tr><td>${e(t.supplier)}: ${e(po.supplierCode)} ${e(po.supplierName)}</td><td>${e(t.currency)}: ${e(po.currency)}</td></tr>
<tr><td>${e(t.status)}: ${e(po.status)}</td><td>${e(t.tolerance)}: ${e(po.overReceiptTolerance)}%</td></tr>
</table>
<table class="lines">
<thead><tr><th>${e(t.no)}</th><th>${e(t.item)}</th><th>${e(t.name)}</th><th>${e(t.qty)}</th><th>${e(t.uom)}</th><th>${e(t.price)}</th><th>${e(t.amount)}</th><th>${e(t.due)}</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot><tr><td colspan="6" class="n"><strong>${e(t.total)}</strong></td><td class="n"><strong>${e(po.total)}</strong></td><td></td></tr></tfoot>
</table>
${po.notes ? `<p>${e(t.notes)}: ${e(po.notes)}</p>` : ''}
<div class="sign"><div>${e(t.buyer)}</div><div>${e(t.approver)}</div><div>${e(t.vendor)}</div></div>
</body>
</html>
`;
}
