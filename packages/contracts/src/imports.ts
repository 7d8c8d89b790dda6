import { type Static, Type } from 'typebox';
import { ItemType, Tracking } from './items.ts';

export const SheetFormat = Type.Union([Type.Literal('xlsx'), Type.Literal('csv')]);
export type SheetFormat = Static<typeof SheetFormat>;

export const TemplateQuery = Type.Object(
  { format: Type.Optional(SheetFormat) },
  { additionalProperties: false },
);
export type TemplateQuery = Static<typeof TemplateQuery>;

export const ItemExportQuery = Type.Object(
  {
    format: Type.Optional(SheetFormat),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'code or name contains' })),
    type: Type.Optional(ItemType),
    tracking: Type.Optional(Tracking),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ItemExportQuery = Static<typeof ItemExportQuery>;

export const ImportQuery = Type.Object(
  {
    mode: Type.Optional(
      Type.Union([Type.Literal('insert'), Type.Literal('upsert')], {
        description: 'insert: an existing code is an error; upsert: an existing code is updated',
      }),
    ),
    dryRun: Type.Optional(Type.Boolean({ description: 'validate only, write nothing' })),
  },
  { additionalProperties: false },
);
export type ImportQuery = Static<typeof ImportQuery>;

/** One problem in an import file; `row` is the spreadsheet row number (the header is row 1). */
export const ImportRowError = Type.Object({
  row: Type.Integer(),
  column: Type.String(),
  value: Type.String(),
  message: Type.String(),
});
export type ImportRowError = Static<typeof ImportRowError>;

/** invalid: nothing written, see the errors; validated: a dry run found no error; imported: written. */
export const ImportStatus = Type.Union([
  Type.Literal('invalid'),
  Type.Literal('validated'),
  Type.Literal('imported'),
]);
export type ImportStatus = Static<typeof ImportStatus>;

export const ImportResult = Type.Object({
  id: Type.String(),
  entity: Type.String(),
  mode: Type.String(),
  dryRun: Type.Boolean(),
  status: ImportStatus,
  rows: Type.Integer({ description: 'data rows read' }),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  errorCount: Type.Integer(),
  errors: Type.Array(ImportRowError, { description: 'the first 1,000 errors' }),
  moreErrors: Type.Integer({ description: 'errors not listed here (all are in the error report)' }),
  errorReport: Type.Union([Type.String(), Type.Null()], { description: 'CSV of every error' }),
  createdAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});
export type ImportResult = Static<typeof ImportResult>;
