import type { LatLon } from './geometry';

export interface CoordinateCheck {
  readonly point?: LatLon;
  /** Set when the input was corrected (swapped axes, numeric strings). */
  readonly corrected?: 'swapped' | 'parsed_from_string';
  readonly reasons: readonly string[];
}

const NUMERIC = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/;

function toNumber(value: unknown): { value?: number; fromString: boolean } {
  if (typeof value === 'number')
    return Number.isFinite(value) ? { value, fromString: false } : { fromString: false };
  if (typeof value === 'string' && NUMERIC.test(value)) return { value: Number(value), fromString: true };
  return { fromString: false };
}

/** Jakarta and its islands: lat about -5.1…-6.5, lon about 106.3…107.0. */
function looksLikeJakartaLatLon(lat: number, lon: number): boolean {
  return lat > -7.5 && lat < -4.5 && lon > 105.5 && lon < 107.5;
}

/**
 * Validates a reported GPS location without trusting its type. Never throws: anything
 * unusable becomes a reason and no point, so routing falls back to the text.
 */
export function checkCoordinates(location: unknown): CoordinateCheck {
  if (location === undefined || location === null) return { reasons: [] };
  if (typeof location !== 'object' || Array.isArray(location)) {
    return { reasons: ['coordinates_invalid: location is not an object with lat and lon'] };
  }
  const record = location as Record<string, unknown>;
  const lat = toNumber(record['lat'] ?? record['latitude']);
  const lon = toNumber(record['lon'] ?? record['lng'] ?? record['longitude']);
  if (lat.value === undefined || lon.value === undefined) {
    return { reasons: ['coordinates_invalid: lat/lon are not finite numbers'] };
  }
  const reasons: string[] = [];
  const fromString = lat.fromString || lon.fromString;
  if (fromString) reasons.push('coordinates_parsed_from_string: lat/lon arrived as text');
  if (lat.value === 0 && lon.value === 0) {
    return { reasons: [...reasons, 'coordinates_invalid: (0,0) is what devices send without a fix'] };
  }
  if (looksLikeJakartaLatLon(lon.value, lat.value) && !looksLikeJakartaLatLon(lat.value, lon.value)) {
    reasons.push(`coordinates_swapped: lat/lon were reversed (${lat.value}, ${lon.value}); corrected`);
    return { point: { lat: lon.value, lon: lat.value }, corrected: 'swapped', reasons };
  }
  if (Math.abs(lat.value) > 90 || Math.abs(lon.value) > 180) {
    return { reasons: [...reasons, `coordinates_out_of_range: (${lat.value}, ${lon.value})`] };
  }
  return {
    point: { lat: lat.value, lon: lon.value },
    ...(fromString ? { corrected: 'parsed_from_string' as const } : {}),
    reasons,
  };
}
