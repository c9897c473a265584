import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotificationEntity } from './notification.entity';

export interface NotificationClaim {
  orderId: string;
  status: string;
  phone: string;
  body: string;
}

/** Columns of `notification` as PostgreSQL returns them to RETURNING *. */
interface NotificationRow {
  id: string;
  order_id: string;
  status: string;
  phone: string;
  body: string;
  attempts: number;
}

@Injectable()
export class NotificationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Claims one attempt at a notification: inserts its row if this (order, status) is new — the unique
   * key makes a concurrent or repeated insert a no-op — and counts the attempt, unless the row is SENT.
   * Null means "already sent: do not send again". Committed before the provider is called, so the
   * attempt is on record even if the call never returns.
   */
  claimAttempt(claim: NotificationClaim): Promise<NotificationRow | null> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO notification (order_id, status, phone, body) VALUES ($1, $2, $3, $4)
         ON CONFLICT ON CONSTRAINT notification_once_per_status DO NOTHING`,
        [claim.orderId, claim.status, claim.phone, claim.body],
      );
      const [rows] = (await manager.query(
        `UPDATE notification SET attempts = attempts + 1, state = 'PENDING'
         WHERE order_id = $1 AND status = $2 AND state <> 'SENT'
         RETURNING id, order_id, status, phone, body, attempts`,
        [claim.orderId, claim.status],
      )) as [NotificationRow[], number];
      return rows[0] ?? null;
    });
  }

  async markSent(id: string, providerMessageId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE notification SET state = 'SENT', sent_at = now(), provider_message_id = $2, last_error = NULL
       WHERE id = $1`,
      [id, providerMessageId],
    );
  }

  /** Keeps the reason; `deadLettered` = this was the last attempt the consumer is allowed. */
  async markFailed(id: string, error: string, deadLettered: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE notification SET last_error = $2, state = CASE WHEN $3::boolean THEN 'FAILED' ELSE state END
       WHERE id = $1 AND state <> 'SENT'`,
      [id, error, deadLettered],
    );
  }

  /** An order's notifications in the order they were sent; unsent ones last, in the order created. */
  findByOrder(orderId: string): Promise<NotificationEntity[]> {
    return this.dataSource
      .getRepository(NotificationEntity)
      .createQueryBuilder('notification')
      .where('notification.orderId = :orderId', { orderId })
      .orderBy('notification.sentAt', 'ASC', 'NULLS LAST')
      .addOrderBy('notification.id', 'ASC')
      .getMany();
  }
}
