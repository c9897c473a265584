import { type DatabaseOptions, ProcessedMessageEntity } from '@flashsale/service-kit';
import { NotificationEntity } from '../notification/notification.entity';
import { InitialSchema1763946000000 } from './migrations/1763946000000-initial-schema';
import { NotificationState1764000000000 } from './migrations/1764000000000-notification-state';

/** The notify database: its entities, and its migrations oldest first (append new ones at the end). */
export const notifyDatabase: DatabaseOptions = {
  entities: [NotificationEntity, ProcessedMessageEntity],
  migrations: [InitialSchema1763946000000, NotificationState1764000000000],
};
