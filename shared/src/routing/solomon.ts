import type { Problem, Stop } from './types';

/**
 * Read a Solomon VRPTW instance (name, `VEHICLE NUMBER CAPACITY`, then one row per node, row 0 the depot).
 * Stop ids are the customer numbers as strings.
 */
export const parseSolomon = (text: string): Problem & { name: string } => {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const name = lines.find((l) => l.length > 0) ?? '';
  const numbers = (l: string) => l.split(/\s+/).map(Number);
  const vehicleAt = lines.findIndex((l) => /^NUMBER\s+CAPACITY/i.test(l));
  const fleet = lines.slice(vehicleAt + 1).find((l) => l.length > 0);
  if (vehicleAt < 0 || !fleet) throw new Error('Solomon instance: no VEHICLE NUMBER/CAPACITY section');
  const [vehicles, capacity] = numbers(fleet);
  const rows = lines
    .slice(lines.findIndex((l) => /^CUST/i.test(l)) + 1)
    .filter((l) => /^\d/.test(l))
    .map(numbers)
    .filter((r) => r.length >= 7 && r.every(Number.isFinite));
  const depotRow = rows[0];
  if (!depotRow) throw new Error('Solomon instance: no customer rows');
  const [id0, x0, y0, , ready0, due0] = depotRow as [number, number, number, number, number, number, number];
  const stops: Stop[] = rows.slice(1).map(([id, x, y, demand, readyTime, dueTime, serviceTime]) => ({
    id: String(id),
    x: x!,
    y: y!,
    demand: demand!,
    readyTime: readyTime!,
    dueTime: dueTime!,
    serviceTime: serviceTime!,
  }));
  return {
    name,
    depot: { id: `depot-${id0}`, x: x0, y: y0, readyTime: ready0, dueTime: due0 },
    stops,
    vehicles: vehicles!,
    capacity: capacity!,
  };
};
