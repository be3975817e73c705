import { DEFAULT_DUPLICATE_POLICY, type IncidentRecord } from '@aduan/routing';
import { cellsAround, incidentCell, incidentLocks } from './pg-incident-index';

const report = (point: { lat: number; lon: number }): IncidentRecord => ({
  id: '00000000-0000-4000-8000-000000000001',
  category: 'Jalan',
  point,
  receivedAt: '2026-11-20T06:00:00+07:00',
  textSignature: [],
});

/** A point `meters` away from `p` in direction `angle` (radians), on Jakarta's scale. */
function away(p: { lat: number; lon: number }, meters: number, angle: number) {
  const dLat = (meters * Math.cos(angle)) / 111_320;
  const dLon = (meters * Math.sin(angle)) / (111_320 * Math.cos((p.lat * Math.PI) / 180));
  return { lat: p.lat + dLat, lon: p.lon + dLon };
}

describe('incident cells and decision locks', () => {
  // A fixed sequence, so a failure names the same points on every run.
  let seed = 42;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const jakarta = () => ({ lat: -6.36 + random() * 0.27, lon: 106.69 + random() * 0.28 });

  it('makes any two reports within the radius of each other wait for one another', () => {
    const radius = DEFAULT_DUPLICATE_POLICY.maxDistanceMeters;
    const apart: unknown[] = [];
    for (let i = 0; i < 5_000; i++) {
      const a = jakarta();
      const b = away(a, random() * radius, random() * 2 * Math.PI);
      const locksOfB = new Set(incidentLocks(report(b), DEFAULT_DUPLICATE_POLICY));
      const waits = incidentLocks(report(a), DEFAULT_DUPLICATE_POLICY).some((k) => locksOfB.has(k));
      // …and the lookup of either reads the other's cell.
      if (!waits || !cellsAround(a, radius).includes(incidentCell(b))) apart.push({ a, b });
    }
    expect(apart).toEqual([]);
  });

  it('lets reports a kilometre apart, or in other kelurahan, decide without waiting', () => {
    const a = { lat: -6.1706, lon: 106.810469 };
    const locks = (p: { lat: number; lon: number }) => incidentLocks(report(p), DEFAULT_DUPLICATE_POLICY);
    expect(locks(away(a, 1_000, 1)).filter((k) => locks(a).includes(k))).toEqual([]);
    const textOnly = (kelurahanKode: string) =>
      incidentLocks({ ...report(a), point: undefined, kelurahanKode }, DEFAULT_DUPLICATE_POLICY);
    expect(textOnly('31.75.02.1005')).toEqual(textOnly('31.75.02.1005'));
    expect(textOnly('31.75.02.1005')).not.toEqual(textOnly('31.75.02.1006'));
    expect(locks(a).length).toBeLessThanOrEqual(4);
  });
});
