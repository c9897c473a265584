import {
  CompressionType,
  MessageConst,
  MessageSysFlag,
  compressionType,
  resetTransactionType,
  transactionType,
  withCompressionType,
} from './message-const';

describe('MessageSysFlag', () => {
  it('reads the transaction type from bits 2-3 only', () => {
    expect(transactionType(0)).toBe(MessageSysFlag.TRANSACTION_NOT_TYPE);
    expect(transactionType(0x4 | 0x1 | 0x10)).toBe(MessageSysFlag.TRANSACTION_PREPARED_TYPE);
    expect(transactionType(0xc | 0x80)).toBe(MessageSysFlag.TRANSACTION_ROLLBACK_TYPE);
  });

  it('replaces the transaction type and keeps every other bit', () => {
    const prepared =
      MessageSysFlag.TRANSACTION_PREPARED_TYPE | MessageSysFlag.COMPRESSED | MessageSysFlag.BORNHOST_V6;
    const committed = resetTransactionType(prepared, MessageSysFlag.TRANSACTION_COMMIT_TYPE);
    expect(committed).toBe(0x8 | 0x1 | 0x10);
    expect(MessageSysFlag.transactionType(committed)).toBe(0x8);
    expect(resetTransactionType(committed, 0)).toBe(0x11);
  });

  it('encodes compression types like a 4.9.4+ producer', () => {
    expect(withCompressionType(0, CompressionType.ZLIB)).toBe(MessageSysFlag.COMPRESSED_ZLIB);
    expect(compressionType(0x301)).toBe(CompressionType.ZLIB);
    expect(compressionType(0x1)).toBe(CompressionType.LEGACY_ZLIB);
    expect(compressionType(withCompressionType(0x8, CompressionType.LZ4))).toBe(CompressionType.LZ4);
  });
});

describe('MessageConst', () => {
  it('spells wire names exactly', () => {
    expect(MessageConst.UNIQ_KEY).toBe('UNIQ_KEY');
    expect(MessageConst.TRAN_MSG).toBe('TRAN_MSG');
    expect(MessageConst.SHARDING_KEY).toBe('__SHARDINGKEY');
    expect(MessageConst.PROPERTY_SEPARATOR).toBe('\u0002');
  });
});
