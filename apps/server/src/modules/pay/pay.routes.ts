import {
  Leaderboard,
  PeriodQuery,
  PieceRate,
  PieceRateSet,
  PointsRulesBody,
  Problem,
  WageStatement,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import * as service from './pay.service.ts';

export async function payRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['shopfloor'];
  app.get(
    '/piece-rates',
    {
      config: { permission: 'production:read' },
      schema: { tags, summary: 'Piece rates per item operation', response: { 200: Type.Array(PieceRate) } },
    },
    async () => service.listRates(db),
  );
  app.put(
    '/piece-rates',
    {
      config: { permission: 'production:update' },
      schema: {
        tags,
        summary: 'Set the piece rate and scrap deduction of an item operation',
        body: PieceRateSet,
        response: { 200: PieceRate, 400: Problem },
      },
    },
    async (request) => service.setRate(db, request.ctx, request.body as PieceRateSet),
  );
  app.get(
    '/wages',
    {
      config: { permission: 'production:read' },
      schema: {
        tags,
        summary: 'Piece-rate wage statement per operator for a period (JSON or CSV)',
        querystring: PeriodQuery,
        response: { 200: WageStatement, 400: Problem },
      },
    },
    async (request, reply) => {
      const q = request.query as PeriodQuery;
      // Serialised where it is computed (wageStatementBytes), and sent as it is.
      const bytes = await service.wageStatementBytesOffThread(db, q);
      // A Buffer made on a read thread arrives as a plain Uint8Array: the same bytes, seen as a Buffer.
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (q.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="wages-${q.from}-${q.to}.csv"`)
          .send(text);
      }
      return reply.type('application/json; charset=utf-8').send(text);
    },
  );
  app.get(
    '/leaderboard',
    {
      config: { permission: 'shopfloor:read' },
      schema: {
        tags,
        summary: 'Points per operator and team for a period',
        querystring: PeriodQuery,
        response: { 200: Leaderboard, 400: Problem },
      },
    },
    async (request) => service.leaderboardOffThread(db, request.query as PeriodQuery),
  );
  app.put(
    '/points-rules',
    {
      config: { permission: 'production:update' },
      schema: {
        tags,
        summary: 'Points for first-pass reports, on-time completions and good units',
        body: PointsRulesBody,
      },
    },
    async (request) => service.setPointsRules(db, request.ctx, request.body as PointsRulesBody),
  );
}
