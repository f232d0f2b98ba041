import type { Access } from './types';

/** Who may call the procedures of the supervisor's board. */
export const BOARD_ACCESS: Record<string, Access> = {
  'board.deadlines': ['supervisor'],
  'board.offices': ['supervisor'],
  'board.indicators': ['supervisor'],
  'board.drilldown': ['supervisor'],
  'board.trend': ['supervisor'],
};
