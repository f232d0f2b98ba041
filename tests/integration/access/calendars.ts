import type { Access } from './types';

/** Who may manage the holiday calendars and enter Decision 766 publicity points. */
export const CALENDARS_ACCESS: Record<string, Access> = {
  'admin.calendars': ['admin'],
  'admin.openCalendarYear': ['admin'],
  'admin.setCalendarDay': ['admin'],
  'admin.publishCalendar': ['admin'],
  'admin.importPublicity': ['admin'],
  'board.setPublicity': ['supervisor'],
};
