import type { ServiceCatalogue } from './services';
import type { ListedReport, ListedUpdate } from './status-client';
import { open311Status } from './statuses';

/** The fields of a service request in GeoReport v2 (GET requests), in the spec's order. */
export interface ServiceRequestView {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string | null;
  service_code: string | null;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string | null;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
  [key: string]: string | number | null;
}

/** A request update of mySociety's servicerequestupdates extension. */
export interface RequestUpdateView {
  update_id: string;
  service_request_id: string;
  status: string;
  updated_datetime: string;
  description: string;
  media_url: string | null;
  [key: string]: string | null;
}

/**
 * A listed report as a service request, copied field by field from what the status service
 * shows in public. The address is the report's kelurahan, kecamatan and kota, never what the
 * reporter wrote; photos of the reporter are not republished (ADR 0051).
 */
export function serviceRequestOf(r: ListedReport, services: ServiceCatalogue): ServiceRequestView {
  const service = services.ofCategory(r.category);
  const area = r.area
    ? `Kelurahan ${r.area.kelurahan.name}, Kecamatan ${r.area.kecamatan.name}, ${r.area.kota.name}`
    : null;
  return {
    service_request_id: r.trackingCode,
    status: open311Status(r.state).status,
    status_notes: r.lastNote ?? null,
    service_name: service?.service_name ?? null,
    service_code: service?.service_code ?? null,
    description: r.description ?? null,
    agency_responsible: r.unit?.name ?? null,
    service_notice: null,
    requested_datetime: r.receivedAt ?? null,
    updated_datetime: r.updatedAt,
    expected_datetime: null,
    address: area,
    address_id: null,
    zipcode: null,
    lat: typeof r.lat === 'number' ? r.lat : null,
    long: typeof r.lon === 'number' ? r.lon : null,
    media_url: null,
  };
}

export function requestUpdateOf(u: ListedUpdate): RequestUpdateView {
  // Evidence links the status service gives relative to itself are not links a client can follow.
  const photo = u.evidence.find((e) => /^https?:\/\//.test(e.url));
  return {
    update_id: u.id,
    service_request_id: u.trackingCode,
    status: open311Status(u.state).extended,
    updated_datetime: u.at,
    description: u.note ?? '',
    media_url: photo?.url ?? null,
  };
}
