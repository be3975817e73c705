import { GridIndex } from './spatial-index';

describe('GridIndex', () => {
  const grid = new GridIndex<string>({ minLon: 0, minLat: 0, maxLon: 10, maxLat: 10 }, 1);
  grid.insert({ minLon: 0.5, minLat: 0.5, maxLon: 2.5, maxLat: 1.5 }, 'a');
  grid.insert({ minLon: 5, minLat: 5, maxLon: 5.5, maxLat: 5.5 }, 'b');

  it('returns the items whose boxes cover the cell of the point', () => {
    expect(grid.query({ lat: 1, lon: 2 })).toEqual(['a']);
    expect(grid.query({ lat: 5.2, lon: 5.2 })).toEqual(['b']);
    expect(grid.query({ lat: 9, lon: 9 })).toEqual([]);
    expect(grid.query({ lat: -1, lon: 2 })).toEqual([]);
  });

  it('collects neighbouring cells without duplicates', () => {
    expect(grid.queryAround({ lat: 1, lon: 1 }, 1)).toEqual(['a']);
    expect(grid.queryAround({ lat: 3, lon: 3 }, 3).sort()).toEqual(['a', 'b']);
  });
});
