import { HttpException, type HttpStatus } from '@nestjs/common';

/** The JSON body of every error a service returns on purpose. */
export interface ServiceErrorBody {
  statusCode: number;
  /** Stable, machine-readable reason, e.g. `SOLD_OUT`; clients branch on this, not on the message. */
  code: string;
  message: string;
}

/**
 * Base class of a service's typed errors: each subclass fixes an HTTP status and a code, e.g.
 * `class SoldOutError extends ServiceError { constructor() { super(HttpStatus.CONFLICT, 'SOLD_OUT', ...) } }`.
 * Nest's exception layer turns it into a response with that status and a {@link ServiceErrorBody}.
 */
export abstract class ServiceError extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: string,
    message: string,
  ) {
    super({ statusCode: status, code, message } satisfies ServiceErrorBody, status);
    this.name = new.target.name;
  }
}
