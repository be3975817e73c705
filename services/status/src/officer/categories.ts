import { loadCategories } from '@aduan/reference-data';

/**
 * The complaint categories officers file reports under: the router's reference list, served at
 * GET /v1/officer/categories. Search filters and re-categorising accept exactly these names, so
 * a category the console offers is always one the API takes.
 */
export function categoryNames(): string[] {
  return loadCategories().map((c) => c.name);
}

let known: Set<string> | undefined;
export function isCategory(name: string): boolean {
  known ??= new Set(categoryNames());
  return known.has(name);
}
