/**
 * Categories that one incident can be reported under. People describe the same flooded lane
 * as a flood, an overflowing drain or a burst main; the same fallen tree as a tree or a
 * blocked road. Duplicate detection compares incidents within a family, not by exact
 * category. Own grouping from the CRM category list (crm-categories.json).
 */
const FAMILIES: readonly (readonly string[])[] = [
  ['Banjir', 'Saluran Air, Kali/Sungai', 'Tutup Saluran', 'Sumur Resapan', 'Jaringan Air Bersih'],
  [
    'Jalan',
    'Trotoar',
    'Keluhan Galian/Sisa Proyek',
    'Jembatan Penyeberangan Orang (JPO) dan/atau Halte',
    'Pohon',
  ],
  ['Pohon', 'Taman', 'Taman Pemakaman Umum', 'Ruang Publik Terpadu Ramah Anak (RPTRA)'],
  ['Sampah', 'Pencemaran Lingkungan'],
  [
    'Gangguan Ketenteraman dan Ketertiban',
    'Tindakan Asusila',
    'Penyakit Masyarakat',
    'Konflik Sosial',
    'Tempat Hiburan',
  ],
  ['Arus Lalu Lintas', 'Parkir Liar', 'PKL Liar', 'Pelanggaran Perda/Pergub'],
  // A hydrant that gave no water during a fire is a second problem, not the fire again.
  ['Penanganan Kebakaran', 'Penyelamatan'],
  ['Jaringan Listrik', 'Jaringan Komunikasi'],
  ['Penyandang Masalah Kesejahteraan Sosial (PMKS)', 'Perlindungan Anak', 'Orang Hilang'],
];

const related = new Map<string, Set<string>>();
for (const family of FAMILIES) {
  for (const name of family) {
    const set = related.get(name) ?? new Set([name]);
    for (const other of family) set.add(other);
    related.set(name, set);
  }
}

/** Every category an incident of `category` may also be reported as (itself included), sorted. */
export function incidentFamily(category: string): string[] {
  return [...(related.get(category) ?? [category])].sort();
}

/** Two reports can be one incident only when their categories are in one family. */
export function compatibleCategories(a: string, b: string): boolean {
  return a === b || (related.get(a)?.has(b) ?? false);
}
