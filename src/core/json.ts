/**
 * JSON for training records, which may hold NaN and ±Infinity (a diverging loss, an epoch without
 * validation): JSON has no such numbers and `JSON.stringify` would write `null`, losing which it
 * was. They are written as the strings "NaN", "Infinity" and "-Infinity" instead, and
 * {@link reviveNonFinite} turns them back into numbers.
 */
export function stringifyRecords(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
    indent,
  );
}

/** The `JSON.parse` reviver that reads what {@link stringifyRecords} wrote back as numbers. */
export function reviveNonFinite(_key: string, v: unknown): unknown {
  return v === 'NaN' ? Number.NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v;
}
