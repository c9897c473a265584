/**
 * The client never writes to the console: its owner passes a logger (pino fits), or gets silence.
 * Same shape as the remoting layer's logger so one object can serve both.
 */
import { type RemotingLogger, silentRemotingLogger } from '../protocol';

export type ClientLogger = RemotingLogger;

export const silentClientLogger: ClientLogger = silentRemotingLogger;
