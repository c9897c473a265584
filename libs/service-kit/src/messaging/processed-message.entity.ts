import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A message a consumer group has already handled. Brokers deliver at least once, so a consumer
 * inserts this row in the same transaction as its effect; a redelivered message then hits the primary
 * key and is skipped. Every service has this table (created by its own initial migration).
 */
@Entity({ name: 'processed_message' })
export class ProcessedMessageEntity {
  @PrimaryColumn({ name: 'consumer_group', type: 'text' })
  consumerGroup!: string;

  /** The message's business key (e.g. the order id) or its message id. */
  @PrimaryColumn({ name: 'message_key', type: 'text' })
  messageKey!: string;

  @CreateDateColumn({ name: 'processed_at', type: 'timestamptz' })
  processedAt!: Date;
}
