/**
 * PENDING → SENT, or PENDING → FAILED (dead-lettered) → PENDING again if the dead letter is resent.
 * A SENT row is final: nothing sends its SMS again.
 */
export const NOTIFICATION_STATES = ['PENDING', 'SENT', 'FAILED'] as const;
export type NotificationState = (typeof NOTIFICATION_STATES)[number];
