/**
 * GET_BROKER_CLUSTER_INFO (106) response body: every broker group and which cluster it belongs to.
 * A 4.9.8 NameServer always writes it in fastjson's default dialect (unquoted brokerAddrs keys).
 */
import { type BrokerData } from './topic-route-data.body';

export interface ClusterInfo {
  /** brokerName → its addresses. */
  brokerAddrTable: Record<string, BrokerData>;
  /** clusterName → broker names. */
  clusterAddrTable: Record<string, string[]>;
}
