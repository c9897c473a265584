/**
 * Headers of the NameServer requests: REGISTER_BROKER (103), UNREGISTER_BROKER (104) and
 * GET_ROUTEINFO_BY_TOPIC (105).
 *
 * Interview question: "What does the NameServer do, and why is it not ZooKeeper?" — brokers register
 * with every NameServer every 30 s and are dropped after 120 s of silence; clients ask any NameServer
 * for a topic's route. NameServers never talk to each other, so there is no consensus to lose.
 */
import {
  type ExtFields,
  optionalBoolean,
  optionalInt,
  optionalString,
  requireLong,
  requireString,
} from './header-fields';

export interface RegisterBrokerRequestHeader {
  brokerName: string;
  brokerAddr: string;
  clusterName: string;
  haServerAddr: string;
  /** 0 = master, >= 1 = slave. */
  brokerId: number;
  compressed?: boolean;
  /** Masked CRC32 of the body; 0 = not checked. */
  bodyCrc32?: number;
}

export function parseRegisterBrokerRequestHeader(ext: ExtFields): RegisterBrokerRequestHeader {
  return {
    brokerName: requireString(ext, 'brokerName'),
    brokerAddr: requireString(ext, 'brokerAddr'),
    clusterName: requireString(ext, 'clusterName'),
    haServerAddr: requireString(ext, 'haServerAddr'),
    brokerId: requireLong(ext, 'brokerId'),
    compressed: optionalBoolean(ext, 'compressed'),
    bodyCrc32: optionalInt(ext, 'bodyCrc32'),
  };
}

/** Filled for a slave from its live master, so the slave knows whom to replicate from. */
export interface RegisterBrokerResponseHeader {
  haServerAddr?: string;
  masterAddr?: string;
}

export function parseRegisterBrokerResponseHeader(ext: ExtFields): RegisterBrokerResponseHeader {
  return { haServerAddr: optionalString(ext, 'haServerAddr'), masterAddr: optionalString(ext, 'masterAddr') };
}

export interface UnregisterBrokerRequestHeader {
  brokerName: string;
  brokerAddr: string;
  clusterName: string;
  brokerId: number;
}

export function parseUnregisterBrokerRequestHeader(ext: ExtFields): UnregisterBrokerRequestHeader {
  return {
    brokerName: requireString(ext, 'brokerName'),
    brokerAddr: requireString(ext, 'brokerAddr'),
    clusterName: requireString(ext, 'clusterName'),
    brokerId: requireLong(ext, 'brokerId'),
  };
}

export interface GetRouteInfoRequestHeader {
  topic: string;
  /** 4.9.4+: ask for standard JSON (quoted brokerAddrs keys) regardless of the request version. */
  acceptStandardJsonOnly?: boolean;
}

export function parseGetRouteInfoRequestHeader(ext: ExtFields): GetRouteInfoRequestHeader {
  return {
    topic: requireString(ext, 'topic'),
    acceptStandardJsonOnly: optionalBoolean(ext, 'acceptStandardJsonOnly'),
  };
}
