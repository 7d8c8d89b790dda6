import { IdParams, Problem, Shipment, ShipmentCreate, ShipmentList, ShipmentParams } from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import * as service from './shipment.service.ts';

/**
 * Shipments under /api/v1/sales-orders/:id. Posting one moves stock out of the warehouse, so it
 * needs inventory:create (the warehouse role picks and ships); reading needs sales:read.
 */
export async function shipmentRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['sales'];

  app.post(
    '/:id/shipments',
    {
      config: { permission: 'inventory:create' },
      schema: {
        tags,
        summary: 'Ship against order lines (partial allowed): posts shipment moves and rolls up the status',
        params: IdParams,
        body: ShipmentCreate,
        response: { 201: Shipment, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const id = (request.params as { id: string }).id;
      const shipment = await service.postShipment(db, request.ctx, id, request.body as ShipmentCreate);
      return reply
        .status(201)
        .header('location', `/api/v1/sales-orders/${id}/shipments/${shipment.id}`)
        .send(shipment);
    },
  );

  app.get(
    '/:id/shipments',
    {
      config: { permission: 'sales:read' },
      schema: {
        tags,
        summary: 'Shipments of a sales order',
        params: IdParams,
        response: { 200: ShipmentList, 404: Problem },
      },
    },
    async (request) => service.listShipments(db, (request.params as { id: string }).id),
  );

  app.get(
    '/:id/shipments/:shipmentId',
    {
      config: { permission: 'sales:read' },
      schema: {
        tags,
        summary: 'One shipment',
        params: ShipmentParams,
        response: { 200: Shipment, 404: Problem },
      },
    },
    async (request) => {
      const p = request.params as { id: string; shipmentId: string };
      return service.getShipment(db, p.id, p.shipmentId);
    },
  );

  app.get(
    '/:id/shipments/:shipmentId/delivery-note.pdf',
    {
      config: { permission: 'sales:read' },
      schema: {
        tags,
        summary: 'The delivery note (送货单) of a shipment as a PDF',
        params: ShipmentParams,
        response: { 200: { type: 'string', format: 'binary' }, 404: Problem },
      },
    },
    async (request, reply) => {
      const p = request.params as { id: string; shipmentId: string };
      const pdf = await service.deliveryNotePdf(db, p.id, p.shipmentId);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="delivery-note-${p.shipmentId}.pdf"`)
        .send(pdf);
    },
  );
}
