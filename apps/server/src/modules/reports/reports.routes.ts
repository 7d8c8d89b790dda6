import { Problem } from '@takt/contracts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import {
  deliverySheets,
  inventorySheets,
  productionSheets,
  utilisationSheets,
  workbookStream,
} from './reports.export.ts';
import {
  DeliveryReport,
  InventoryReport,
  ProductionReport,
  RangeQuery,
  UtilisationReport,
} from './reports.schemas.ts';
import * as service from './reports.service.ts';
import { utilisationReportOffThread } from './reports.utilisation.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const NoQuery = Type.Object({}, { additionalProperties: false });

function sendWorkbook(reply: FastifyReply, name: string, stream: Readable) {
  const stamp = new Date().toISOString().slice(0, 10);
  return reply
    .type(XLSX)
    .header('content-disposition', `attachment; filename="${name}-report-${stamp}.xlsx"`)
    .send(stream);
}

/**
 * Management reports (mounted under /api/v1/reports): on-time delivery and backlog, production output
 * and WIP, stock value, machine utilisation; each as JSON and as an xlsx workbook with the same figures.
 */
export async function reportRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['reports'];
  const permission = 'reports:read';
  const ranged = [
    {
      name: 'delivery',
      summary: 'On-time delivery of sales-order lines per period, and the open backlog now',
      response: DeliveryReport,
      build: (q: RangeQuery) => service.deliveryReportOffThread(db, q),
      workbook: async (q: RangeQuery) => deliverySheets(await service.deliveryReportOffThread(db, q)),
    },
    {
      name: 'production',
      summary: 'Work orders completed per period with good and scrap quantity, scrap reasons, and WIP now',
      response: ProductionReport,
      build: (q: RangeQuery) => service.productionReportOffThread(db, q),
      workbook: async (q: RangeQuery) => productionSheets(await service.productionReportOffThread(db, q)),
    },
    {
      name: 'utilisation',
      summary:
        'Machine utilisation: standard run time reported and planned minutes against calendar time ' +
        '(less planned downtime) per machine, work center and period',
      response: UtilisationReport,
      build: (q: RangeQuery) => utilisationReportOffThread(db, q),
      workbook: async (q: RangeQuery) => utilisationSheets(await utilisationReportOffThread(db, q)),
    },
  ] as const;

  for (const r of ranged) {
    app.get(
      `/${r.name}`,
      {
        config: { permission, readCache: true },
        schema: {
          tags,
          summary: r.summary,
          querystring: RangeQuery,
          response: { 200: r.response, 400: Problem },
        },
      },
      async (request) => r.build(request.query as RangeQuery),
    );
    app.get(
      `/${r.name}/export`,
      {
        config: { permission },
        schema: {
          tags,
          summary: `${r.summary}, as an xlsx workbook`,
          querystring: RangeQuery,
          produces: [XLSX],
          response: { 400: Problem },
        },
      },
      async (request, reply) => {
        // Computed before the first byte, so a bad range is still a 400.
        const sheets = await r.workbook(request.query as RangeQuery);
        return sendWorkbook(reply, r.name, workbookStream(sheets));
      },
    );
  }

  app.get(
    '/inventory',
    {
      config: { permission, readCache: true },
      schema: {
        tags,
        summary: 'Stock on hand valued at standard cost, by item type and warehouse, and the top items',
        querystring: NoQuery,
        response: { 200: InventoryReport },
      },
    },
    async () => service.inventoryReportOffThread(db),
  );
  app.get(
    '/inventory/export',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'Stock on hand valued at standard cost, as an xlsx workbook',
        querystring: NoQuery,
        produces: [XLSX],
      },
    },
    async (_request, reply) =>
      sendWorkbook(
        reply,
        'inventory',
        workbookStream(inventorySheets(await service.inventoryReportOffThread(db))),
      ),
  );
}
