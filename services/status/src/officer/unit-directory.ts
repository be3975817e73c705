import { loadOpds, loadWilayah } from '@aduan/reference-data';
import type { DataSource } from 'typeorm';

export interface UnitSeed {
  code: string;
  name: string;
  kind: string;
  parent: string | null;
}

/**
 * Every unit a report can be routed, coordinated or escalated to: the OPDs of the reference
 * data, a Suku Dinas of each Dinas in each kota (`<OPD>.<kota kode>`), and the kota,
 * kecamatan and kelurahan by their Kemendagri codes (ADR 0030).
 */
export function referenceUnits(): UnitSeed[] {
  const wilayah = loadWilayah();
  const kota = wilayah.filter((w) => w.level === 'kabupaten_kota');
  const units: UnitSeed[] = [];
  for (const opd of loadOpds()) {
    units.push({ code: opd.code, name: opd.name, kind: opd.type, parent: null });
    if (opd.type !== 'dinas') continue;
    for (const k of kota) {
      units.push({
        code: `${opd.code}.${k.kode}`,
        name: `Suku ${opd.name} ${k.nama.replace(/^(Kota|Kabupaten) (Adm\.|Administrasi) /, '')}`,
        kind: 'suku_dinas',
        parent: opd.code,
      });
    }
  }
  for (const w of wilayah) {
    if (w.level === 'provinsi') continue;
    const kind = w.level === 'kabupaten_kota' ? 'kota' : w.level;
    const name =
      w.level === 'kecamatan'
        ? `Kecamatan ${w.nama}`
        : w.level === 'kelurahan'
          ? `Kelurahan ${w.nama}`
          : w.nama;
    units.push({ code: w.kode, name, kind, parent: w.parent_kode });
  }
  return units;
}

/** Adds units that are missing; names an admin changed are kept. */
export async function seedUnits(db: DataSource, units: UnitSeed[] = referenceUnits()): Promise<void> {
  await db.query(
    `INSERT INTO unit (code, name, kind, parent_code)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT (code) DO NOTHING`,
    [
      units.map((u) => u.code),
      units.map((u) => u.name),
      units.map((u) => u.kind),
      units.map((u) => u.parent),
    ],
  );
}
