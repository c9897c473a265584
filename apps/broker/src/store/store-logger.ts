/** The store never writes to the console; the broker hands it a logger (pino, or a test spy). */
export interface StoreLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export const silentLogger: StoreLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
