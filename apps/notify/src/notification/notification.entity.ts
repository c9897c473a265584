import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { NotificationState } from './notification-state';

/**
 * The message sent to a buyer about one status of one order. Unique per (order, status): sending is
 * idempotent, so a redelivered status update finds the row and does not text the buyer twice.
 */
@Entity({ name: 'notification' })
@Unique('notification_once_per_status', ['orderId', 'status'])
export class NotificationEntity {
  /** bigserial; the pg driver returns 64-bit integers as strings so that no precision is lost. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  /** The order status this notification announces (CREATED, PAID, CLOSED, ...). */
  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'text' })
  channel!: string;

  @Column({ type: 'text' })
  phone!: string;

  @Column({ type: 'text' })
  body!: string;

  /** Delivery attempts so far; the retries and the DLQ are visible here. */
  @Column({ type: 'integer' })
  attempts!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** When the provider accepted it; null while not (yet) sent. */
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  /** PENDING until the provider accepted it (SENT); FAILED once its status update was dead-lettered. */
  @Column({ type: 'text', default: 'PENDING' })
  state!: NotificationState;

  /** The provider's id of the accepted message. */
  @Column({ name: 'provider_message_id', type: 'text', nullable: true })
  providerMessageId!: string | null;

  /** Why the last attempt failed, if it did. */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;
}
