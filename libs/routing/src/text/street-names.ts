import type { Token } from './normalize';

const MAX_NAME_WORDS = 4;

/**
 * Tokens that belong to a street name written after "Jl."/"Jln": capitalised words such as
 * "Jl. Pemuda", "Jl. Kesehatan Raya". The words of a street name say nothing about the
 * complaint. Lower-case text after "jln" ("jln rusak parah") is left alone.
 */
export function streetNameTokens(tokens: readonly Token[]): Set<number> {
  const names = new Set<number>();
  tokens.forEach((token, i) => {
    if (!token.streetAbbreviation) return;
    for (let j = i + 1; j < Math.min(tokens.length, i + 1 + MAX_NAME_WORDS); j++) {
      const next = tokens[j];
      if (!next || !next.capitalized || next.breakBefore) break;
      names.add(j);
    }
  });
  return names;
}
