/* global fetch */
import { h, svg } from './dom.mjs';
import { t } from './i18n.mjs';

// Boundaries are public reference data, fetched once per kelurahan and kept for the session.
const outlines = new Map();

async function outline(kode) {
  if (!outlines.has(kode)) {
    outlines.set(
      kode,
      fetch(`/api/areas/kelurahan/${encodeURIComponent(kode)}`)
        .then((res) => (res.ok ? res.json() : null))
        // Offline or blocked: the caller shows the place in words; a later render asks again.
        .catch(() => {
          outlines.delete(kode);
          return null;
        }),
    );
  }
  return outlines.get(kode);
}

/** "Kel. Kenari, Kec. Senen, Kota Administrasi Jakarta Pusat" */
export function placeInWords(area) {
  return `${t('area.kelurahan')} ${area.kelurahan.nama}, ${t('area.kecamatan')} ${area.kecamatan.nama}, ${area.kota.nama}`;
}

/**
 * The kelurahan of a public report, drawn from its boundary; no point, since the public view
 * has none. The place is always written out in words under the drawing, and the words stand
 * alone when the boundary cannot be loaded, so nothing depends on the picture.
 */
export async function kelurahanMap(area) {
  if (!area) return null;
  const kode = area.kelurahan?.kode;
  const words = placeInWords(area);
  const shape = kode ? await outline(kode) : null;
  if (!shape)
    return h(
      'div',
      { class: 'map', 'data-testid': 'area-map' },
      h('p', { class: 'caption' }, words, ' · ', t('map.textOnly')),
    );
  const { x, y, viewBox } = frame(shape.bbox);
  return h(
    'div',
    { class: 'map', 'data-testid': 'area-map' },
    svg(
      'svg',
      {
        viewBox,
        role: 'img',
        'aria-label': t('map.of', { place: words }),
        preserveAspectRatio: 'xMidYMid meet',
      },
      svg('path', { class: 'outline', d: pathOf(shape.rings, x, y) }),
    ),
    h('p', { class: 'caption' }, words),
  );
}

/** Equirectangular projection scaled at the centre latitude: faithful enough for one kelurahan. */
function frame([minLon, minLat, maxLon, maxLat]) {
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const width = Math.max((maxLon - minLon) * k, 0.002);
  const height = Math.max(maxLat - minLat, 0.002);
  const pad = Math.max(width, height) * 0.08;
  return {
    x: (lon) => ((lon - minLon) * k).toFixed(6),
    y: (lat) => (maxLat - lat).toFixed(6),
    width,
    height,
    viewBox: `${-pad} ${-pad} ${width + 2 * pad} ${height + 2 * pad}`,
  };
}

function pathOf(rings, x, y) {
  return rings.map((ring) => `M${ring.map(([lon, lat]) => `${x(lon)},${y(lat)}`).join('L')}Z`).join('');
}
