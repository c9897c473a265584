/**
 * PUT_KV_CONFIG (100), GET_KV_CONFIG (101) and DELETE_KV_CONFIG (102): admin access to the
 * NameServer's key/value store (headers `namespace`, `key`, and `value` for a put).
 *
 * Interview question: "Is the NameServer's KV config replicated?" — no: like routes, each NameServer
 * has its own, so an admin tool writes it to every NameServer.
 */
import {
  createResponse,
  RequestCode,
  requireString,
  ResponseCode,
  type RemotingCommand,
} from '@flashsale/mq/protocol';
import type { RemotingChannel } from '../../remoting/remoting-channel';
import type { RequestProcessor } from '../../remoting/request-processor';
import type { KVConfigManager } from '../kv-config-manager';

export class KVConfigProcessor implements RequestProcessor {
  constructor(private readonly kvConfigManager: KVConfigManager) {}

  processRequest(_channel: RemotingChannel, request: RemotingCommand): RemotingCommand | undefined {
    const ext = request.extFields;
    switch (request.code) {
      case RequestCode.PUT_KV_CONFIG:
        this.kvConfigManager.put(
          requireString(ext, 'namespace'),
          requireString(ext, 'key'),
          requireString(ext, 'value'),
        );
        return createResponse(request, ResponseCode.SUCCESS);
      case RequestCode.GET_KV_CONFIG:
        return this.getKVConfig(request, requireString(ext, 'namespace'), requireString(ext, 'key'));
      case RequestCode.DELETE_KV_CONFIG:
        this.kvConfigManager.delete(requireString(ext, 'namespace'), requireString(ext, 'key'));
        return createResponse(request, ResponseCode.SUCCESS);
      default:
        return undefined;
    }
  }

  private getKVConfig(request: RemotingCommand, namespace: string, key: string): RemotingCommand {
    const value = this.kvConfigManager.get(namespace, key);
    if (value === undefined) {
      const remark = `No config item, Namespace: ${namespace} Key: ${key}`;
      return createResponse(request, ResponseCode.QUERY_NOT_FOUND, {}, undefined, remark);
    }
    return createResponse(request, ResponseCode.SUCCESS, { value });
  }
}
