/**
 * The one place where the store's PutMessageStatus becomes a SEND_MESSAGE response code and remark.
 *
 * Interview question: "The producer got FLUSH_DISK_TIMEOUT — is the message lost?" — no: the record
 * is in the CommitLog, only the fsync (SYNC_FLUSH) or the slave copy (SYNC_MASTER) did not confirm in
 * time. That is why those three statuses still carry msgId/queueOffset and the client reports a
 * SendStatus instead of an exception; everything else is a failure the client may retry elsewhere.
 */
import { ResponseCode } from '@flashsale/mq/protocol';
import { PutMessageStatus } from '../store';

export interface SendOutcome {
  code: number;
  remark: string | undefined;
  /** The message was appended: the response carries msgId, queueId and queueOffset. */
  stored: boolean;
}

const OUTCOMES: Readonly<Record<PutMessageStatus, SendOutcome>> = {
  [PutMessageStatus.PUT_OK]: { code: ResponseCode.SUCCESS, remark: undefined, stored: true },
  [PutMessageStatus.FLUSH_DISK_TIMEOUT]: {
    code: ResponseCode.FLUSH_DISK_TIMEOUT,
    remark: undefined,
    stored: true,
  },
  [PutMessageStatus.FLUSH_SLAVE_TIMEOUT]: {
    code: ResponseCode.FLUSH_SLAVE_TIMEOUT,
    remark: undefined,
    stored: true,
  },
  [PutMessageStatus.SLAVE_NOT_AVAILABLE]: {
    code: ResponseCode.SLAVE_NOT_AVAILABLE,
    remark: undefined,
    stored: true,
  },
  [PutMessageStatus.CREATE_MAPPED_FILE_FAILED]: {
    code: ResponseCode.SYSTEM_ERROR,
    remark: 'create mapped file failed, server is busy or broken.',
    stored: false,
  },
  [PutMessageStatus.MESSAGE_ILLEGAL]: {
    code: ResponseCode.MESSAGE_ILLEGAL,
    remark: 'the message is illegal: the encoded message (or batch) exceeds maxMessageSize or is malformed.',
    stored: false,
  },
  [PutMessageStatus.PROPERTIES_SIZE_EXCEEDED]: {
    code: ResponseCode.MESSAGE_ILLEGAL,
    remark: 'the message is illegal: its properties exceed 32767 bytes.',
    stored: false,
  },
  [PutMessageStatus.SERVICE_NOT_AVAILABLE]: {
    code: ResponseCode.SERVICE_NOT_AVAILABLE,
    remark: 'service not available now: the message store is shut down, read-only or out of disk.',
    stored: false,
  },
  [PutMessageStatus.OS_PAGECACHE_BUSY]: {
    code: ResponseCode.SYSTEM_ERROR,
    remark: '[PC_SYNCHRONIZED]broker busy, start flow control for a while',
    stored: false,
  },
  [PutMessageStatus.UNKNOWN_ERROR]: {
    code: ResponseCode.SYSTEM_ERROR,
    remark: 'UNKNOWN_ERROR',
    stored: false,
  },
};

const UNKNOWN: SendOutcome = {
  code: ResponseCode.SYSTEM_ERROR,
  remark: 'UNKNOWN_ERROR DEFAULT',
  stored: false,
};

export function sendOutcomeOf(status: PutMessageStatus): SendOutcome {
  return OUTCOMES[status] ?? UNKNOWN;
}
