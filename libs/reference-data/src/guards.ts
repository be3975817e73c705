/** Minimal runtime shape checks: the files are ours, but a bad copy should fail loudly at load, not deep inside routing. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`@aduan/reference-data: ${what} is not an array`);
  return value;
}

export function expectString(record: Record<string, unknown>, key: string, what: string): string {
  const value = record[key];
  if (typeof value !== 'string') throw new Error(`@aduan/reference-data: ${what}.${key} is not a string`);
  return value;
}

export function expectNumber(record: Record<string, unknown>, key: string, what: string): number {
  const value = record[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`@aduan/reference-data: ${what}.${key} is not a finite number`);
  }
  return value;
}

export function stringArray(value: unknown, what: string): string[] {
  return expectArray(value ?? [], what).map((item, i) => {
    if (typeof item !== 'string') throw new Error(`@aduan/reference-data: ${what}[${i}] is not a string`);
    return item;
  });
}
