import { boundedEditDistance } from './edit-distance';

describe('boundedEditDistance', () => {
  it('counts substitutions, insertions, deletions and transpositions', () => {
    expect(boundedEditDistance('rawasari', 'rawasari', 2)).toBe(0);
    expect(boundedEditDistance('cempakaputibarat', 'cempakaputihbarat', 2)).toBe(1);
    expect(boundedEditDistance('kalisari', 'kalsiari', 2)).toBe(1);
    expect(boundedEditDistance('galur', 'gelur', 2)).toBe(1);
  });

  it('stops early beyond the bound', () => {
    expect(boundedEditDistance('menteng', 'cilincing', 2)).toBe(3);
    expect(boundedEditDistance('a', 'abcdef', 1)).toBe(2);
  });
});
