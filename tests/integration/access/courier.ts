import type { Access } from './types';

/** Who may call the procedures of couriers and dispatch. */
export const COURIER_ACCESS: Record<string, Access> = {
  'courier.today': ['courier'],
  'courier.sync': ['courier'],
  'courier.checkDeliveryCode': ['courier'],
  'courier.list': ['supervisor'],
  'courier.assign': ['supervisor'],
  'courier.unassign': ['supervisor'],
  'courier.plan': ['supervisor'],
  'courier.acceptPlan': ['supervisor'],
  'courier.replan': ['supervisor'],
  'courier.setAvailability': ['supervisor'],
  'courier.goOffline': ['courier'],
  'courier.pickedUp': ['clerk'],
};
