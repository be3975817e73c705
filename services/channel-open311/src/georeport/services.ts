import { loadCategories, loadOpds } from '@aduan/reference-data';

/** One GeoReport v2 service: a category of the city's CRM. */
export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

/**
 * A category's service code: its name in lower case, every run of other characters one hyphen
 * ("Jembatan Penyeberangan Orang (JPO) dan/atau Halte" → "jembatan-penyeberangan-orang-jpo-dan-atau-halte").
 * Derived from the name alone, so it stays the same from release to release while the category does.
 */
export function serviceCodeOf(category: string): string {
  return category
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export class ServiceCatalogue {
  readonly services: readonly Open311Service[];
  private readonly byCode: Map<string, Open311Service>;
  private readonly byCategory: Map<string, Open311Service>;

  constructor() {
    const opds = new Map(loadOpds().map((o) => [o.code, o.name]));
    const services = loadCategories()
      .map((c) => ({
        service_code: serviceCodeOf(c.name),
        service_name: c.name,
        description: c.name,
        // No service asks for extra attributes: a definition lists none.
        metadata: false,
        // The report number is known as the request is accepted.
        type: 'realtime' as const,
        keywords: '',
        // The OPD that answers for the category, as the city's own site groups them.
        group: opds.get(c.route_to[0] ?? '') ?? '',
      }))
      .sort((a, b) => a.service_code.localeCompare(b.service_code));
    this.services = services;
    this.byCode = new Map(services.map((s) => [s.service_code, s]));
    this.byCategory = new Map(services.map((s) => [s.service_name, s]));
    if (this.byCode.size !== services.length)
      throw new Error('two categories share a service code: their names differ only in punctuation');
  }

  find(code: string): Open311Service | undefined {
    return this.byCode.get(code);
  }

  ofCategory(category: string | null | undefined): Open311Service | undefined {
    return category ? this.byCategory.get(category) : undefined;
  }
}
