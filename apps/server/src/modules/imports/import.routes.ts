import {
  ImportQuery,
  ImportResult,
  IdParams,
  ItemExportQuery,
  Problem,
  TemplateQuery,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import type { AppDeps } from '../../app.ts';
import { errorReport, findImport, toResult } from './import.repo.ts';
import { exportItems, itemTemplate } from './item-export.ts';
import { sendSheet } from './sheet-io.ts';
import { importItems, MAX_IMPORT_BYTES } from './item-import.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Bulk export, templates and import of items (mounted under /api/v1/items). */
export async function itemImportRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db, bus } = deps;
  const tags = ['masterdata'];

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
        summary: 'Export items matching the filters as xlsx (default) or CSV, streamed',
        querystring: ItemExportQuery,
        produces: [XLSX, 'text/csv'],
      },
    },
    async (request, reply) => {
      const query = request.query as ItemExportQuery;
      return sendSheet(reply, query.format ?? 'xlsx', 'items', exportItems(db, query));
    },
  );

  app.get(
    '/import/template',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary: 'An empty item sheet with the bilingual headers and one example row',
        querystring: TemplateQuery,
        produces: [XLSX, 'text/csv'],
      },
    },
    async (request, reply) => {
      const format = (request.query as TemplateQuery).format ?? 'xlsx';
      return sendSheet(reply, format, 'items-template', itemTemplate(db, format));
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
          'Import items from an xlsx or CSV file sent as the body; all rows are checked first and nothing is ' +
          'written unless every row is valid (422 lists the problems)',
        querystring: ImportQuery,
        consumes: [XLSX, 'text/csv'],
        response: { 200: ImportResult, 400: Problem, 422: ImportResult },
      },
    },
    async (request, reply) => {
      const query = request.query as ImportQuery;
      const body = request.body as { stream?: Readable } | undefined;
      const stream = body?.stream ?? Readable.from([]);
      const result = await importItems(db, request.ctx, bus, {
        body: stream,
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
        summary: 'The outcome of one item import',
        params: IdParams,
        response: { 200: ImportResult, 404: Problem },
      },
    },
    async (request) => toResult(await findImport(db, 'items', (request.params as { id: string }).id)),
  );

  app.get(
    '/import/:id/errors.csv',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary: 'Every error of one item import, as CSV',
        params: IdParams,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const row = await findImport(db, 'items', (request.params as { id: string }).id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="item-import-${row.id}-errors.csv"`)
        .send(errorReport(row));
    },
  );
}
