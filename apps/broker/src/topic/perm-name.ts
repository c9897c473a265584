/**
 * RocketMQ's PermName bits, on a topic and on a whole broker: READ 4, WRITE 2, INHERIT 1
 * (PRIORITY 8 is unused). A normal topic is 6; TBW102 is 7 because new topics inherit from it.
 *
 * Interview question: "How do you take a broker out of service without losing messages?" — clear its
 * WRITE bit (wipeWritePerm): producers stop routing to it while consumers keep draining it.
 */
export const PermName = {
  PRIORITY: 8,
  READ: 4,
  WRITE: 2,
  INHERIT: 1,
} as const;

export const READ_WRITE = PermName.READ | PermName.WRITE;

export function isReadable(perm: number): boolean {
  return (perm & PermName.READ) !== 0;
}

export function isWriteable(perm: number): boolean {
  return (perm & PermName.WRITE) !== 0;
}

export function isInherited(perm: number): boolean {
  return (perm & PermName.INHERIT) !== 0;
}
