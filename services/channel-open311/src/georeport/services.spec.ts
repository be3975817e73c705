import { loadCategories } from '@aduan/reference-data';
import { serviceCodeOf, ServiceCatalogue } from './services';

describe('Open311 services from the CRM categories', () => {
  const catalogue = new ServiceCatalogue();

  it('offers every category once, under a code of its own', () => {
    const categories = loadCategories();
    expect(catalogue.services).toHaveLength(categories.length);
    for (const c of categories)
      expect(catalogue.ofCategory(c.name)?.service_code).toBe(serviceCodeOf(c.name));
  });

  it('derives codes from the names alone, so they stay the same between releases', () => {
    expect(serviceCodeOf('Jalan')).toBe('jalan');
    expect(serviceCodeOf('Jembatan Penyeberangan Orang (JPO) dan/atau Halte')).toBe(
      'jembatan-penyeberangan-orang-jpo-dan-atau-halte',
    );
    expect(serviceCodeOf('DP Rp0')).toBe('dp-rp0');
    expect(catalogue.find('parkir-liar')).toMatchObject({ service_name: 'Parkir Liar', metadata: false });
  });

  it('groups a service under the OPD that answers for it', () => {
    expect(catalogue.find('jalan')!.group).toBe('Dinas Bina Marga');
  });
});
