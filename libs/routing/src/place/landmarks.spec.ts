import { loadKelurahanFeatures } from '@aduan/reference-data';
import { isRecord, readRoutingJson } from '../data-files';
import { PointLocator } from './point-locator';

interface PositionedLandmark {
  readonly name: string;
  readonly kelurahan: string | null;
  readonly candidates: readonly string[];
  readonly position: readonly [number, number];
}

function positionedLandmarks(): PositionedLandmark[] {
  const root = readRoutingJson('landmarks.json');
  if (!isRecord(root) || !Array.isArray(root['landmarks'])) throw new Error('landmarks.json malformed');
  const out: PositionedLandmark[] = [];
  for (const raw of root['landmarks']) {
    if (!isRecord(raw) || !Array.isArray(raw['position'])) continue;
    const [lat, lon] = raw['position'] as unknown[];
    if (typeof lat !== 'number' || typeof lon !== 'number') throw new Error('position must be [lat, lon]');
    out.push({
      name: Array.isArray(raw['names']) ? String(raw['names'][0]) : '?',
      kelurahan: typeof raw['kelurahan'] === 'string' ? raw['kelurahan'] : null,
      candidates: Array.isArray(raw['candidates']) ? raw['candidates'].map(String) : [],
      position: [lat, lon],
    });
  }
  return out;
}

// A landmark decides a report's kelurahan from its name alone, so its recorded position must
// agree with the boundaries: otherwise an edited entry would silently route to the wrong unit.
describe('landmark gazetteer against the kelurahan boundaries', () => {
  const locator = new PointLocator(loadKelurahanFeatures());
  const landmarks = positionedLandmarks();

  it('has positions for the landmarks added since the gazetteer was checked against the boundaries', () => {
    expect(landmarks.length).toBeGreaterThanOrEqual(200);
  });

  it('places every certain landmark inside its kelurahan, more than 60 m from an edge', () => {
    const wrong = landmarks
      .filter((l) => l.kelurahan !== null)
      .map((l) => ({ l, hit: locator.locate({ lat: l.position[0], lon: l.position[1] }) }))
      .filter(({ l, hit }) => hit?.kode !== l.kelurahan || hit.edgeDistanceMeters <= 60)
      .map(
        ({ l, hit }) => `${l.name}: ${hit?.kode ?? 'outside'} ${Math.round(hit?.edgeDistanceMeters ?? 0)} m`,
      );
    expect(wrong).toEqual([]);
  });

  it('lists the kelurahan a boundary landmark lies in among its candidates', () => {
    const wrong = landmarks
      .filter((l) => l.kelurahan === null)
      .map((l) => ({ l, hit: locator.locate({ lat: l.position[0], lon: l.position[1] }) }))
      .filter(({ l, hit }) => hit !== undefined && !l.candidates.includes(hit.kode))
      .map(({ l, hit }) => `${l.name}: ${hit?.kode ?? '?'}`);
    expect(wrong).toEqual([]);
  });
});
