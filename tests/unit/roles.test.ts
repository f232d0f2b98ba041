import {
  ACTORS,
  AppError,
  isActor,
  isPostalStaff,
  isRole,
  POSTAL_STAFF,
  parseRole,
  ROLES,
} from '@postdesk/shared';
import { describe, expect, it } from 'vitest';

describe('roles', () => {
  it('are the five staff roles', () => {
    expect(ROLES).toEqual(['clerk', 'courier', 'agency_official', 'supervisor', 'admin']);
  });

  it('actors are the roles plus citizen, portal, payment gateway, system and planner', () => {
    expect([...ACTORS].sort()).toEqual(
      [
        'admin',
        'agency_official',
        'citizen',
        'clerk',
        'courier',
        'payment_gateway',
        'planner',
        'portal',
        'supervisor',
        'system',
      ].sort(),
    );
    expect(isActor('payment_gateway')).toBe(true);
    expect(isActor('officer')).toBe(false);
  });

  it('postal staff are clerks and couriers only', () => {
    expect(POSTAL_STAFF).toEqual(['clerk', 'courier']);
    expect(ACTORS.filter(isPostalStaff)).toEqual(['clerk', 'courier']);
  });

  it('parseRole accepts a role, trimming spaces', () => {
    expect(parseRole('supervisor')).toBe('supervisor');
    expect(parseRole(' courier ')).toBe('courier');
    expect(isRole('admin')).toBe(true);
  });

  it.each(['citizen', 'Clerk', '', 'root', null, 3])('parseRole(%j) refuses with ROLE_UNKNOWN', (value) => {
    expect(() => parseRole(value)).toThrow(AppError);
    try {
      parseRole(value);
    } catch (err) {
      expect((err as AppError).code).toBe('ROLE_UNKNOWN');
      expect((err as AppError).details).toEqual({ allowed: [...ROLES] });
    }
  });
});
