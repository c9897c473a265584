/**
 * Errors the store throws. The hot paths (put, get) report problems as RocketMQ status values
 * instead; a throw means the store cannot be opened or was misused.
 */
export type StoreErrorCode =
  'LOAD_FAILED' | 'FILE_SIZE_MISMATCH' | 'INVALID_CONFIG' | 'NOT_RUNNING' | 'CREATE_MAPPED_FILE_FAILED';

export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${message}`, options);
    Object.setPrototypeOf(this, StoreError.prototype);
  }
}
