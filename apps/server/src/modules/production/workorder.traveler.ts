import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { WorkOrderDetail } from '@takt/contracts';
import { findCjkFont } from '../../platform/pdf.ts';

/**
 * The job traveler (流转卡) that goes with the parts: QR codes for the order and for each operation
 * (the terminal scans `WO:<id>` and `OP:<id>`), the materials to issue and the routing steps with a
 * sign-off box per step.
 */
export async function renderTraveler(
  wo: WorkOrderDetail,
  machineCodes: ReadonlyMap<string, string>,
): Promise<Buffer> {
  const font = findCjkFont();
  const zh = font !== null;
  const t = (cn: string, en: string) => (zh ? `${cn} ${en}` : en);
  const doc = new PDFDocument({ size: 'A4', margin: 36, info: { Title: `Traveler ${wo.code}` } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (font) doc.registerFont('cjk', font[0], font[1]).font('cjk');
  const qr = (text: string, size: number) =>
    QRCode.toBuffer(text, { type: 'png', margin: 1, width: size, errorCorrectionLevel: 'M' });

  // Header: order QR on the right, facts on the left.
  doc.image(await qr(`WO:${wo.id}`, 220), 460, 36, { width: 100 });
  doc.fontSize(18).text(t('生产流转卡', 'Job traveler'), 36, 40);
  doc.fontSize(11).moveDown(0.4);
  const facts: [string, string][] = [
    [t('工单', 'Work order'), wo.code],
    [t('物料', 'Item'), `${wo.itemCode}  ${wo.itemName}`],
    [t('数量', 'Quantity'), wo.qty],
    [t('交期', 'Due'), wo.dueDate ?? '—'],
    [t('优先级', 'Priority'), String(wo.priority)],
  ];
  for (const [k, v] of facts) doc.text(`${k}: ${v}`, { width: 400 });
  doc.moveDown(0.8);

  doc.fontSize(13).text(t('物料', 'Materials'), 36);
  doc.fontSize(10);
  for (const m of wo.materials) {
    doc.text(
      `${m.position}. ${m.itemCode}  ${m.itemName}   ${t('需求', 'required')} ${m.qtyRequired}   ${t('已发', 'issued')} ${m.qtyIssued}`,
      44,
    );
  }
  if (wo.materials.length === 0) doc.text('—', 44);
  doc.moveDown(0.8);

  doc.fontSize(13).text(t('工序', 'Operations'), 36);
  for (const op of wo.operations) {
    if (doc.y > 700) doc.addPage();
    const top = doc.y + 4;
    doc.image(await qr(`OP:${op.id}`, 160), 36, top, { width: 64 });
    doc.fontSize(11).text(`${op.seq}  ${op.name}`, 110, top);
    doc
      .fontSize(9)
      .text(
        `${t('计划工时', 'planned')} ${op.plannedMinutes} min   ${t('设备', 'machine')} ${op.machineId ? (machineCodes.get(op.machineId) ?? '') : '—'}${op.inspection ? `   ${t('首件检验', 'first-article check')}` : ''}`,
        110,
      );
    if (op.instructionsUrl)
      doc.text(`${t('作业指导', 'Instructions')}: ${op.instructionsUrl}`, 110, doc.y + 2);
    if (op.drawingUrl) doc.text(`${t('图纸', 'Drawing')}: ${op.drawingUrl}`, 110, doc.y + 2);
    doc.text(
      `${t('合格', 'Good')} ______   ${t('报废', 'Scrap')} ______   ${t('操作者', 'Operator')} __________   ${t('日期', 'Date')} __________`,
      110,
      doc.y + 6,
    );
    doc.y = Math.max(doc.y, top + 70);
  }
  doc.end();
  return done;
}
