import type { OpenAPIObject } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { PURCHASE_REFUSALS } from './purchase-refusal';

/**
 * The JSON schemas of `POST /sales/:id/purchases`, used twice: Fastify compiles them into the route's
 * validator and serializers (purchase.route.ts), and the OpenAPI document shows them (app.options.ts).
 * One source, so the docs cannot drift from what the route accepts.
 */

/** Fastify's path syntax; the OpenAPI key below spells the same path `{id}`. */
export const PURCHASE_PATH = '/sales/:id/purchases';

export interface PurchaseParams {
  id: string;
}

export interface PurchaseRequest {
  userId: string;
  quantity: number;
}

const saleIdSchema: SchemaObject = { type: 'string', format: 'uuid' };

export const purchaseParamsSchema: SchemaObject = {
  type: 'object',
  properties: { id: saleIdSchema },
  required: ['id'],
};

export const purchaseRequestSchema: SchemaObject = {
  type: 'object',
  properties: {
    userId: {
      type: 'string',
      pattern: '^[A-Za-z0-9_.:@-]{1,64}$',
      description: 'The buyer (authentication is out of scope here): 1-64 letters, digits or _.:@-',
    },
    quantity: {
      type: 'integer',
      minimum: 1,
      maximum: 100,
      description: 'Units, at most the sale’s perUserLimit',
    },
  },
  required: ['userId', 'quantity'],
  additionalProperties: false,
};

export const purchaseAcceptedSchema: SchemaObject = {
  type: 'object',
  properties: {
    ticket: { type: 'string', format: 'uuid' },
    status: { type: 'string', enum: ['PENDING'] },
  },
  required: ['ticket', 'status'],
};

/** The body of every refusal and error: the services' `ServiceErrorBody`. */
export const purchaseRefusalSchema: SchemaObject = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string' },
    message: { type: 'string' },
  },
  required: ['statusCode', 'code', 'message'],
};

/** The route as the OpenAPI document describes it (a plain Fastify route has no decorators). */
export const purchaseOpenApiPaths: OpenAPIObject['paths'] = {
  '/sales/{id}/purchases': {
    post: {
      tags: ['purchases'],
      operationId: 'purchase',
      summary: 'Try to buy: the Redis gate answers at once; winners get a ticket to poll',
      description:
        'Peak shaving: only admitted purchases become messages, and the order service turns them into ' +
        'orders at the pace its database takes. Poll GET /tickets/{ticket} for the order.',
      parameters: [{ name: 'id', in: 'path', required: true, schema: saleIdSchema }],
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: purchaseRequestSchema, example: { userId: 'user-42', quantity: 1 } },
        },
      },
      responses: {
        '202': answer('Admitted and queued', purchaseAcceptedSchema),
        '400': refusal('Invalid body (INVALID_REQUEST), or quantity above the limit', [
          'QUANTITY_ABOVE_LIMIT',
        ]),
        '404': refusal('No such sale', ['SALE_NOT_FOUND']),
        '409': refusal('The sale says no', ['SOLD_OUT', 'ALREADY_BOUGHT', 'NOT_STARTED', 'ENDED']),
        '429': refusal('Too many attempts by this user in one second', ['RATE_LIMITED']),
        '503': refusal('Not queued; the units went back to the sale', ['PURCHASE_UNAVAILABLE']),
      },
    },
  },
};

function answer(description: string, schema: SchemaObject) {
  return { description, content: { 'application/json': { schema } } };
}

function refusal(description: string, codes: (keyof typeof PURCHASE_REFUSALS)[]) {
  return answer(`${description}: ${codes.join(', ')}`, purchaseRefusalSchema);
}
