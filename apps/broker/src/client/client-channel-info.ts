/**
 * One client connection as a group sees it: the channel plus who is on the other end (the clientID
 * from its heartbeat) and when it last proved it is alive.
 */
import type { RemotingChannel } from '../remoting/remoting-channel';

export interface ClientChannelInfo {
  channel: RemotingChannel;
  /** "<ip>@<instanceName>", exactly as the client sent it: consumers look for it in the id list. */
  clientId: string;
  language: string;
  version: number;
  lastUpdateTimestamp: number;
}
