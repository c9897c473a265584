/** A local infrastructure piece (PostgreSQL or Redis) could not be brought up; the message says how to fix it. */
export class InfraError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InfraError';
  }
}
