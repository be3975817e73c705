import { checkCoordinates } from './coordinates';

describe('checkCoordinates', () => {
  it('accepts ordinary numbers', () => {
    expect(checkCoordinates({ lat: -6.1754, lon: 106.8272 })).toEqual({
      point: { lat: -6.1754, lon: 106.8272 },
      reasons: [],
    });
  });

  it('treats a missing location as no point and no problem', () => {
    expect(checkCoordinates(undefined)).toEqual({ reasons: [] });
    expect(checkCoordinates(null)).toEqual({ reasons: [] });
  });

  it('detects and corrects swapped axes', () => {
    const c = checkCoordinates({ lat: 106.8272, lon: -6.1754 });
    expect(c.point).toEqual({ lat: -6.1754, lon: 106.8272 });
    expect(c.corrected).toBe('swapped');
    expect(c.reasons[0]).toMatch(/^coordinates_swapped/);
  });

  it('rejects non-numbers, non-finite and out-of-range values with a reason', () => {
    for (const bad of [
      { lat: 'abc', lon: 106.8 },
      { lat: NaN, lon: 106.8 },
      { lat: Infinity, lon: 106.8 },
      { lat: { x: 1 }, lon: [] },
      'here',
      42,
    ]) {
      const c = checkCoordinates(bad);
      expect(c.point).toBeUndefined();
      expect(c.reasons[0]).toMatch(/^coordinates_invalid/);
    }
    const far = checkCoordinates({ lat: -95, lon: 300 });
    expect(far.point).toBeUndefined();
    expect(far.reasons[0]).toMatch(/^coordinates_out_of_range/);
  });

  it('treats (0,0) as no fix', () => {
    expect(checkCoordinates({ lat: 0, lon: 0 }).point).toBeUndefined();
  });

  it('parses clean numeric strings and says so', () => {
    const c = checkCoordinates({ lat: '-6.2', lon: '106.8' });
    expect(c.point).toEqual({ lat: -6.2, lon: 106.8 });
    expect(c.reasons[0]).toMatch(/^coordinates_parsed_from_string/);
  });
});
