import PDFDocument from 'pdfkit';
import { findCjkFont } from '../../platform/pdf.ts';

/**
 * Delivery note (送货单) as a PDF, in the plant's CJK font when the machine has one (see
 * `platform/pdf.ts`); otherwise with the built-in Helvetica and English labels.
 */
export interface DeliveryNote {
  readonly shipmentCode: string;
  readonly orderCode: string;
  readonly customerRef: string;
  readonly customer: { readonly code: string; readonly name: string; readonly address: string };
  readonly date: string;
  readonly note: string;
  readonly lines: ReadonlyArray<{
    readonly itemCode: string;
    readonly name: string;
    readonly spec: string;
    readonly uom: string;
    readonly qty: string;
    readonly lot: string;
    readonly location: string;
  }>;
}

const COLUMNS = [
  { zh: '序号', en: 'No.', w: 30 },
  { zh: '物料编码', en: 'Item', w: 80 },
  { zh: '名称 / 规格', en: 'Name / spec', w: 175 },
  { zh: '单位', en: 'UoM', w: 35 },
  { zh: '数量', en: 'Qty', w: 60, right: true },
  { zh: '', en: '', w: 12 },
  { zh: '批次', en: 'Lot', w: 58 },
  { zh: '库位', en: 'From', w: 65 },
] as const;

export function renderDeliveryNote(
  data: DeliveryNote,
  font: readonly [string, string | undefined] | null = findCjkFont(),
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 40,
    info: { Title: `Delivery note ${data.shipmentCode}` },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (font) doc.registerFont('body', font[0], font[1]);
  doc.font(font ? 'body' : 'Helvetica');
  // Helvetica only has Latin-1 glyphs; anything else would print as garbage.
  const t = (s: string) => (font ? s : s.replace(/[^\x20-\x7e\xa0-\xff]/g, '?'));
  const label = (zh: string, en: string) => (font ? `${zh} ${en}` : en);
  const left = 40;
  const width = doc.page.width - 80;

  doc.fontSize(18).text(label('送货单', 'Delivery note'), left, 40, { width, align: 'center' });
  doc.fontSize(10);
  const info: Array<[string, string, string]> = [
    ['单号', 'No.', data.shipmentCode],
    ['日期', 'Date', data.date],
    ['销售订单', 'Sales order', data.orderCode],
    ['客户订单号', 'Customer PO', data.customerRef || '-'],
    ['客户', 'Customer', `${data.customer.name} (${data.customer.code})`],
    ['地址', 'Address', data.customer.address || '-'],
  ];
  let y = 80;
  for (const [zh, en, value] of info) {
    doc.text(`${label(zh, en)}: ${t(value)}`, left, y, { width });
    y += 16;
  }
  y += 8;
  const header = () => {
    let x = left;
    doc.rect(left, y - 3, width, 18).fill('#e8e8e8');
    doc.fillColor('#000000');
    for (const c of COLUMNS) {
      doc.text(label(c.zh, font ? '' : c.en).trim(), x + 2, y, {
        width: c.w - 4,
        lineBreak: false,
        ...('right' in c ? { align: 'right' as const } : {}),
      });
      x += c.w;
    }
    y += 20;
  };
  header();
  data.lines.forEach((l, i) => {
    if (y > doc.page.height - 140) {
      doc.addPage();
      y = 40;
      header();
    }
    const cells = [
      String(i + 1),
      l.itemCode,
      `${l.name} ${l.spec}`.trim(),
      l.uom,
      l.qty,
      '',
      l.lot || '-',
      l.location,
    ];
    let x = left;
    COLUMNS.forEach((c, k) => {
      doc.text(t(cells[k] ?? ''), x + 2, y, {
        width: c.w - 4,
        lineBreak: false,
        ellipsis: true,
        ...('right' in c ? { align: 'right' as const } : {}),
      });
      x += c.w;
    });
    y += 18;
    doc
      .moveTo(left, y - 4)
      .lineTo(left + width, y - 4)
      .lineWidth(0.3)
      .stroke();
  });
  y += 10;
  if (data.note) {
    doc.text(`${label('备注', 'Note')}: ${t(data.note)}`, left, y, { width });
    y += 20;
  }
  y += 30;
  const sign = [
    label('发货人', 'Shipped by'),
    label('收货人签字', 'Received by'),
    label('收货日期', 'Date received'),
  ];
  sign.forEach((s, k) => {
    doc.text(`${s}: ________`, left + k * (width / 3), y, { width: width / 3 - 10, lineBreak: false });
  });
  doc.end();
  return done;
}
