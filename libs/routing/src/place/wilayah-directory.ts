import type { WilayahRow } from '@aduan/reference-data';

export interface AreaRef {
  readonly kode: string;
  readonly nama: string;
}

export interface KelurahanRef extends AreaRef {
  readonly kecamatan: AreaRef;
  readonly kota: AreaRef;
}

/**
 * Names and parents by Kemendagri code. Kecamatan and kota are always derived from the
 * kelurahan code prefix, never from the coarser kecamatan/kota polygons (see NOTICE.md).
 */
export class WilayahDirectory {
  private readonly byKode = new Map<string, WilayahRow>();

  constructor(rows: readonly WilayahRow[]) {
    for (const row of rows) this.byKode.set(row.kode, row);
  }

  area(kode: string): AreaRef | undefined {
    const row = this.byKode.get(kode);
    return row ? { kode: row.kode, nama: row.nama } : undefined;
  }

  row(kode: string): WilayahRow | undefined {
    return this.byKode.get(kode);
  }

  /** `31.74.07.1004` → kecamatan `31.74.07`, kota `31.74`. */
  kelurahan(kode: string): KelurahanRef | undefined {
    const row = this.byKode.get(kode);
    if (!row || row.level !== 'kelurahan') return undefined;
    const kecamatan = this.area(kecamatanKodeOf(kode));
    const kota = this.area(kotaKodeOf(kode));
    if (!kecamatan || !kota) return undefined;
    return { kode: row.kode, nama: row.nama, kecamatan, kota };
  }

  rows(): IterableIterator<WilayahRow> {
    return this.byKode.values();
  }
}

export function kecamatanKodeOf(kode: string): string {
  return kode.split('.').slice(0, 3).join('.');
}

export function kotaKodeOf(kode: string): string {
  return kode.split('.').slice(0, 2).join('.');
}
