import {
  Availability,
  BalanceExportQuery,
  BalanceListQuery,
  BalancePage,
  CountCreate,
  CountResult,
  Genealogy,
  IdParams,
  LedgerFinding,
  MoveCreate,
  MoveExportQuery,
  MoveListQuery,
  MovePage,
  Problem,
  Reservation,
  ReservationCreate,
  Reverse,
  StockMove,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { SHEET_PRODUCES, sendSheet } from '../imports/sheet-io.ts';
import { exportBalances, exportMoves } from './inventory.export.ts';
import * as query from './inventory.query.ts';
import * as service from './inventory.service.ts';

type Id = { id: string };

export async function inventoryRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['inventory'];
  const read = { permission: 'inventory:read' };
  const write = { permission: 'inventory:create' };

  app.post(
    '/moves',
    {
      config: write,
      schema: {
        tags,
        summary: 'Post a stock move (receipt, issue, return, output, scrap, transfer, shipment, adjustment)',
        body: MoveCreate,
        response: { 201: StockMove, 400: Problem, 409: Problem },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.postMove(db, request.ctx, request.body as MoveCreate)),
  );

  app.get(
    '/moves',
    {
      config: { ...read, readCache: true },
      schema: {
        tags,
        summary: 'Stock moves, newest first (archived=true: the archive)',
        querystring: MoveListQuery,
        response: { 200: MovePage, 400: Problem },
      },
    },
    async (request) => query.listMoves(db, request.query as MoveListQuery),
  );

  app.get(
    '/moves/export',
    {
      config: read,
      schema: {
        tags,
        summary:
          'Export the stock moves matching the list filters (archived=true: the archive) as xlsx (default) ' +
          'or CSV, streamed',
        querystring: MoveExportQuery,
        produces: SHEET_PRODUCES,
        response: { 400: Problem },
      },
    },
    async (request, reply) => {
      const q = request.query as MoveExportQuery;
      const stream = await exportMoves(db, q);
      return sendSheet(
        reply,
        q.format ?? 'xlsx',
        q.archived ? 'archived-stock-moves' : 'stock-moves',
        stream,
      );
    },
  );

  app.post(
    '/moves/:id/reverse',
    {
      config: write,
      schema: {
        tags,
        summary: 'Undo a move with a compensating move (once)',
        params: IdParams,
        body: Reverse,
        response: { 201: StockMove, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.reverseMove(
            db,
            request.ctx,
            (request.params as Id).id,
            (request.body as { reason: string }).reason,
          ),
        ),
  );

  app.get(
    '/balances',
    {
      config: { ...read, readCache: true },
      schema: {
        tags,
        summary: 'Stock on hand per item, location and lot',
        querystring: BalanceListQuery,
        response: { 200: BalancePage },
      },
    },
    async (request) => query.listBalances(db, request.query as BalanceListQuery),
  );

  app.get(
    '/balances/export',
    {
      config: read,
      schema: {
        tags,
        summary: 'Export the stock on hand matching the list filters as xlsx (default) or CSV, streamed',
        querystring: BalanceExportQuery,
        produces: SHEET_PRODUCES,
        response: { 400: Problem },
      },
    },
    async (request, reply) => {
      const q = request.query as BalanceExportQuery;
      const stream = await exportBalances(db, q);
      return sendSheet(reply, q.format ?? 'xlsx', 'stock-balances', stream);
    },
  );

  app.get(
    '/items/:id/availability',
    {
      config: { ...read, readCache: true },
      schema: {
        tags,
        summary: 'On hand, reserved and available for an item',
        params: IdParams,
        response: { 200: Availability, 404: Problem },
      },
    },
    async (request) => query.availability(db, (request.params as Id).id),
  );

  app.post(
    '/reservations',
    {
      config: write,
      schema: {
        tags,
        summary: 'Reserve stock for a demand',
        body: ReservationCreate,
        response: { 201: Reservation, 400: Problem, 409: Problem },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await query.reserve(db, request.ctx, request.body as ReservationCreate)),
  );

  app.post(
    '/reservations/:id/release',
    {
      config: write,
      schema: {
        tags,
        summary: 'Release an open reservation',
        params: IdParams,
        response: { 200: Reservation, 404: Problem, 409: Problem },
      },
    },
    async (request) => query.releaseReservation(db, request.ctx, (request.params as Id).id),
  );

  app.post(
    '/counts',
    {
      config: write,
      schema: {
        tags,
        summary: 'Post a cycle count; differences become adjustment moves',
        body: CountCreate,
        response: { 201: CountResult, 400: Problem },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await query.postCount(db, request.ctx, request.body as CountCreate)),
  );

  app.get(
    '/lots/:id/genealogy',
    {
      config: read,
      schema: {
        tags,
        summary: 'Input and output lots of a lot',
        params: IdParams,
        response: { 200: Genealogy, 404: Problem },
      },
    },
    async (request) => query.genealogy(db, (request.params as Id).id),
  );

  app.get(
    '/ledger-check',
    {
      config: read,
      schema: {
        tags,
        summary: 'Balances that differ from the sum of their moves (empty when the ledger agrees)',
        response: { 200: Type.Array(LedgerFinding) },
      },
    },
    async () => query.ledgerFindingsOffThread(db),
  );
}
