import type { Access } from './types';

/** Who may take numbers (anyone), call them (clerks) and read the queue's figures (supervisors). */
export const QUEUE_ACCESS: Record<string, Access> = {
  'queue.office': 'public',
  'queue.kioskTicket': 'public',
  'queue.phoneTicket': 'public',
  'queue.slots': 'public',
  'queue.book': 'public',
  'queue.ticket': 'public',
  'queue.screen': 'public',
  'queue.desks': ['clerk'],
  'queue.callNext': ['clerk'],
  'queue.recall': ['clerk'],
  'queue.skip': ['clerk'],
  'queue.finish': ['clerk'],
  'queue.transfer': ['clerk'],
  'queue.intakeTicket': ['clerk'],
  'queue.links': ['clerk', 'supervisor'],
  'queue.figures': ['supervisor'],
};
