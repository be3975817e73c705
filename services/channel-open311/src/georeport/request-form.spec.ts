import { FormRefused, parseRequestForm } from './request-form';
import { ServiceCatalogue } from './services';

describe('a POST requests form', () => {
  const services = new ServiceCatalogue();
  const base = { service_code: 'jalan', lat: '-6.2', long: '106.8', description: 'Jalan berlubang' };
  const refused = (body: Record<string, unknown>) => () => parseRequestForm(body, services);

  it('reads the service, the place, the description and the reporter’s private contact', () => {
    const form = parseRequestForm(
      {
        ...base,
        first_name: 'Ani',
        last_name: 'Lestari',
        email: 'ani@example.id',
        phone: '+62 812-3456-789',
      },
      services,
    );
    expect(form).toMatchObject({
      service: { service_name: 'Jalan' },
      location: { lat: -6.2, lon: 106.8 },
      description: 'Jalan berlubang',
      reporter: { anonymous: false, name: 'Ani Lestari', email: 'ani@example.id', phone: '+62 812-3456-789' },
    });
  });

  it('takes a request with no contact as anonymous, and one placed by address only', () => {
    const form = parseRequestForm(
      { service_code: 'jalan', address_string: 'Jl. Kebon Sirih 22', description: 'Lubang' },
      services,
    );
    expect(form.reporter).toEqual({ anonymous: true });
    expect(form.location).toBeUndefined();
    expect(form.addressString).toBe('Jl. Kebon Sirih 22');
  });

  it.each([
    [{ ...base, service_code: undefined }, /service_code is required/],
    [{ ...base, service_code: 'naga' }, /not a service/],
    [{ ...base, lat: undefined, long: undefined }, /location is required/],
    [{ ...base, long: undefined }, /lat and long go together/],
    [{ ...base, lat: '-6.2e1' }, /lat must be/],
    [{ ...base, long: '181' }, /long must be/],
    [{ ...base, description: '' }, /description is required/],
    [{ ...base, description: 'x'.repeat(4001) }, /longer than 4000/],
    [{ ...base, email: 'not-mail' }, /email/],
    [{ ...base, phone: 'call me' }, /phone/],
    [{ ...base, description: ['a', 'b'] }, /given once/],
  ])('refuses %j', (body, reason) => {
    expect(refused(body)).toThrow(FormRefused);
    expect(refused(body)).toThrow(reason);
  });
});
