import { useEffect, useState } from 'preact/hooks';
import type { Report } from './api/client';
import { t } from './i18n';

interface Outline {
  nama: string;
  kecamatan: string;
  bbox: [number, number, number, number];
  rings: Array<Array<[number, number]>>;
}

// Boundaries are public reference data, fetched once per kelurahan and kept for the session.
const outlines = new Map<string, Promise<Outline | null>>();

function outline(kode: string): Promise<Outline | null> {
  let known = outlines.get(kode);
  if (!known) {
    known = fetch(`/api/areas/kelurahan/${encodeURIComponent(kode)}`)
      .then((res) => (res.ok ? (res.json() as Promise<Outline>) : null))
      // Offline or blocked: the place is shown in words; a later render asks again.
      .catch(() => {
        outlines.delete(kode);
        return null;
      });
    outlines.set(kode, known);
  }
  return known;
}

/** Equirectangular projection scaled at the centre latitude: faithful enough for one kelurahan. */
function frame([minLon, minLat, maxLon, maxLat]: [number, number, number, number]) {
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const width = Math.max((maxLon - minLon) * k, 0.002);
  const height = Math.max(maxLat - minLat, 0.002);
  const pad = Math.max(width, height) * 0.08;
  return {
    x: (lon: number) => ((lon - minLon) * k).toFixed(6),
    y: (lat: number) => (maxLat - lat).toFixed(6),
    width,
    height,
    viewBox: `${-pad} ${-pad} ${width + 2 * pad} ${height + 2 * pad}`,
  };
}

/** Even-odd ray casting over every ring, matching how the outline is filled. */
function contains(rings: Outline['rings'], lon: number, lat: number): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/**
 * The report's point inside its kelurahan as an inline SVG: no map tiles, no third-party
 * requests, and enough to see whether the point is where the report says it is (ADR 0042).
 */
export function LocationMap({ area, location }: Pick<Report, 'area' | 'location'>) {
  const kode = area?.kelurahan.kode;
  const [shape, setShape] = useState<Outline | null | undefined>(kode ? undefined : null);
  useEffect(() => {
    if (!kode) return undefined;
    let current = true;
    void outline(kode).then((found) => current && setShape(found));
    return () => {
      current = false;
    };
  }, [kode]);

  if (shape === undefined) return <p class="hint">…</p>;
  if (!location && !shape) return <p class="hint">{t('detail.noLocation')}</p>;
  let [minLon, minLat, maxLon, maxLat] = shape?.bbox ?? [
    location!.lon,
    location!.lat,
    location!.lon,
    location!.lat,
  ];
  if (location) {
    minLon = Math.min(minLon, location.lon);
    maxLon = Math.max(maxLon, location.lon);
    minLat = Math.min(minLat, location.lat);
    maxLat = Math.max(maxLat, location.lat);
  }
  const { x, y, width, height, viewBox } = frame([minLon, minLat, maxLon, maxLat]);
  const d = shape
    ? shape.rings.map((ring) => `M${ring.map(([lon, lat]) => `${x(lon)},${y(lat)}`).join('L')}Z`).join('')
    : '';
  const r = Math.max(width, height) * 0.025;
  const inside = location && shape ? contains(shape.rings, location.lon, location.lat) : true;
  const caption = [
    shape ? `${t('area.kelurahan')} ${shape.nama}, ${t('area.kecamatan')} ${shape.kecamatan}` : null,
    location ? `${location.lat.toFixed(5)}, ${location.lon.toFixed(5)}` : t('detail.noLocation'),
    inside ? null : t('detail.outside'),
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <div class="map">
      <svg
        viewBox={viewBox}
        role="img"
        aria-label={`${t('detail.map')}: ${shape ? shape.nama : ''}`}
        data-testid="map"
        preserveAspectRatio="xMidYMid meet"
      >
        {d ? <path class="outline" d={d} /> : null}
        {location ? <circle class="pin" cx={x(location.lon)} cy={y(location.lat)} r={r.toFixed(6)} /> : null}
      </svg>
      <p class="caption">{caption}</p>
    </div>
  );
}
