import type { GeoPoint, ReporterContact } from '@aduan/contracts';
import type { Open311Service, ServiceCatalogue } from './services';

/** A POST requests body the adapter refuses, with the spec's 400 and the reason. */
export class FormRefused extends Error {}

/** The fields of GeoReport v2's POST requests this adapter reads; any other field is ignored. */
export interface RequestForm {
  service: Open311Service;
  location?: GeoPoint;
  /** Where the client says the problem is, in words; a place for the router to read. */
  addressString?: string;
  description: string;
  mediaUrl?: string;
  /** The reporter's private contact: sealed by the status service, never shown in public. */
  reporter: ReporterContact;
}

const MAX_DESCRIPTION = 4000;

function field(body: Record<string, unknown>, name: string, max = 500): string | undefined {
  const raw = body[name];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string' && typeof raw !== 'number')
    throw new FormRefused(`${name} must be given once, as text`);
  // PostgreSQL text cannot hold NUL; one left in would stop the report downstream.
  const value = String(raw).replaceAll('\u0000', '').trim();
  if (value.length > max) throw new FormRefused(`${name} is longer than ${max} characters`);
  return value || undefined;
}

function coordinate(body: Record<string, unknown>, name: 'lat' | 'long', limit: number): number | undefined {
  const raw = field(body, name, 40);
  if (raw === undefined) return undefined;
  const n = /^-?\d{1,3}(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(Math.abs(n) <= limit)) throw new FormRefused(`${name} must be a number from -${limit} to ${limit}`);
  return n;
}

/** The request in a POST body (form fields or JSON), or FormRefused naming the problem. */
export function parseRequestForm(body: Record<string, unknown>, services: ServiceCatalogue): RequestForm {
  const code = field(body, 'service_code', 200);
  if (!code) throw new FormRefused('service_code is required (GET services lists them)');
  const service = services.find(code);
  if (!service) throw new FormRefused(`service_code "${code.slice(0, 60)}" is not a service of this city`);

  const lat = coordinate(body, 'lat', 90);
  const lon = coordinate(body, 'long', 180);
  if ((lat === undefined) !== (lon === undefined)) throw new FormRefused('lat and long go together');
  const addressString = field(body, 'address_string', 500);
  const addressId = field(body, 'address_id', 200);
  if (lat === undefined && !addressString)
    throw new FormRefused(
      addressId
        ? 'address_id is not known here: give lat and long or address_string'
        : 'a location is required: lat and long, or address_string',
    );

  const description = field(body, 'description', MAX_DESCRIPTION);
  if (!description) throw new FormRefused('description is required: say what is wrong and where');

  const name = [field(body, 'first_name', 100), field(body, 'last_name', 100)].filter(Boolean).join(' ');
  const email = field(body, 'email', 320);
  const phone = field(body, 'phone', 40);
  if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) throw new FormRefused('email is not an e-mail address');
  if (phone && !/^\+?[0-9 ()-]{6,40}$/.test(phone)) throw new FormRefused('phone is not a phone number');
  const reporter: ReporterContact = { anonymous: !(name || email || phone) };
  if (name) reporter.name = name;
  if (email) reporter.email = email;
  if (phone) reporter.phone = phone;

  const form: RequestForm = { service, description, reporter };
  if (lat !== undefined && lon !== undefined) form.location = { lat, lon };
  if (addressString) form.addressString = addressString;
  const mediaUrl = field(body, 'media_url', 2000);
  if (mediaUrl) form.mediaUrl = mediaUrl;
  return form;
}
