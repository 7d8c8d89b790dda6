import { IdParams, ImportQuery, ImportResult, Problem, TemplateQuery } from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import type { AppDeps } from '../../app.ts';
import { errorReport, findImport, toResult } from './import.repo.ts';
import { bomSheet, routingSheet } from './document-sheets.ts';
import { machineSheet, workCenterSheet } from './manufacturing-sheets.ts';
import { customerSheet, supplierSheet } from './party-sheets.ts';
import { employeeSheet, locationSheet, toolSheet, warehouseSheet } from './resource-sheets.ts';
import { type AnySheetSpec, exportSheet, importSheet, sheetTemplate } from './sheet-import.ts';
import { sendSheet } from './sheet-io.ts';
import { MAX_IMPORT_BYTES } from './sheet-open.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Every master-data entity with a sheet besides items, by URL segment. */
export const SHEETS: readonly AnySheetSpec[] = [
  customerSheet,
  supplierSheet,
  warehouseSheet,
  locationSheet,
  employeeSheet,
  toolSheet,
  workCenterSheet,
  machineSheet,
  bomSheet,
  routingSheet,
];

/** Export, template, import, import outcome and error report of one entity, under its own prefix. */
async function entitySheetRoutes(
  app: FastifyInstance,
  opts: AppDeps & { spec: AnySheetSpec },
): Promise<void> {
  const { db, bus, spec } = opts;
  const tags = ['masterdata'];
  const noun = spec.noun;

  // The file is the raw body, handed over as a stream (never buffered whole); any type is sniffed.
  app.addContentTypeParser(
    [XLSX, 'text/csv', 'application/octet-stream', '*'],
    { bodyLimit: MAX_IMPORT_BYTES },
    (_request, payload, done) => done(null, { stream: payload, toJSON: () => 'file' }),
  );

  app.get(
    '/export',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary: `Export every ${noun} as xlsx (default) or CSV, streamed`,
        querystring: TemplateQuery,
        produces: [XLSX, 'text/csv'],
      },
    },
    async (request, reply) => {
      const format = (request.query as TemplateQuery).format ?? 'xlsx';
      return sendSheet(reply, format, spec.entity, exportSheet(db, spec, format));
    },
  );

  app.get(
    '/import/template',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary: `An empty ${noun} sheet with the bilingual headers and an example row`,
        querystring: TemplateQuery,
        produces: [XLSX, 'text/csv'],
      },
    },
    async (request, reply) => {
      const format = (request.query as TemplateQuery).format ?? 'xlsx';
      return sendSheet(reply, format, `${spec.entity}-template`, sheetTemplate(db, spec, format));
    },
  );

  app.post(
    '/import',
    {
      config: { permission: 'masterdata:create' },
      bodyLimit: MAX_IMPORT_BYTES,
      schema: {
        tags,
        summary:
          `Import ${noun}s from an xlsx or CSV file sent as the body; all rows are checked first and nothing ` +
          'is written unless every row is valid (422 lists the problems)',
        querystring: ImportQuery,
        consumes: [XLSX, 'text/csv'],
        response: { 200: ImportResult, 400: Problem, 422: ImportResult },
      },
    },
    async (request, reply) => {
      const query = request.query as ImportQuery;
      const body = request.body as { stream?: Readable } | undefined;
      const result = await importSheet(db, request.ctx, bus, spec, {
        body: body?.stream ?? Readable.from([]),
        contentType: request.headers['content-type'],
        mode: query.mode ?? 'insert',
        dryRun: query.dryRun ?? false,
      });
      return reply.status(result.status === 'invalid' ? 422 : 200).send(result);
    },
  );

  app.get(
    '/import/:id',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary: `The outcome of one ${noun} import`,
        params: IdParams,
        response: { 200: ImportResult, 404: Problem },
      },
    },
    async (request) => toResult(await findImport(db, spec.entity, (request.params as { id: string }).id)),
  );

  app.get(
    '/import/:id/errors.csv',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary: `Every error of one ${noun} import, as CSV`,
        params: IdParams,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const row = await findImport(db, spec.entity, (request.params as { id: string }).id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${noun}-import-${row.id}-errors.csv"`)
        .send(errorReport(row));
    },
  );
}

/** Sheet routes of every entity in SHEETS, each under /api/v1/<entity>. */
export async function sheetRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  for (const spec of SHEETS)
    await app.register(entitySheetRoutes, { ...deps, spec, prefix: `/api/v1/${spec.entity}` });
}
