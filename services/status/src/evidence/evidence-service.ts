import { createHash, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { OfficerPrincipal } from '../auth/tokens';
import { ApiError } from '../officer/api-error';
import type { EvidenceStorage } from './evidence-storage';
import {
  claimedPixels,
  decodeEvidence,
  differenceHash,
  EVIDENCE_MAX_PIXELS,
  distanceMetres,
  readPhotoMetadata,
  sniffImageType,
  type PhotoMetadata,
} from './image-checks';

export interface EvidenceFlag {
  code: 'REUSED_PHOTO' | 'FAR_FROM_REPORT' | 'TAKEN_BEFORE_REPORT';
  detail: string;
}

export interface EvidenceView {
  id: string;
  url: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedAt: string;
  uploadedBy: string;
  usedInTransition: boolean;
  flags: EvidenceFlag[];
}

export interface EvidenceSettings {
  hashDistance: number;
  maxDistanceMetres: number;
}

interface EvidenceRow {
  id: string;
  content_type: string;
  size: number;
  sha256: string;
  uploaded_at: Date;
  uploaded_by: string;
  flags: EvidenceFlag[];
  used: boolean;
}

/**
 * Follow-up photos the validator can trust: each is decoded (so only real images are kept),
 * fingerprinted with a perceptual hash, and compared with the evidence of every other report
 * and with the report's own place and time. Findings are flags for the validator, not refusals:
 * a photo taken a minute before the report was filed can be honest.
 */
export class EvidenceService {
  constructor(
    private readonly db: DataSource,
    private readonly storage: EvidenceStorage,
    private readonly settings: EvidenceSettings,
  ) {}

  async upload(who: OfficerPrincipal, reportId: string, bytes: Buffer): Promise<EvidenceView> {
    const contentType = sniffImageType(bytes);
    if (!contentType)
      throw new ApiError(400, 'NOT_AN_IMAGE', 'evidence must be a JPEG, PNG, WebP or HEIC photo');
    let dhash = '';
    let tooLarge = false;
    try {
      tooLarge = (await claimedPixels(bytes)) > EVIDENCE_MAX_PIXELS;
      if (!tooLarge) dhash = await differenceHash(bytes);
    } catch {
      throw new ApiError(400, 'NOT_AN_IMAGE', 'the file looks like an image but cannot be decoded');
    }
    if (tooLarge)
      throw new ApiError(
        422,
        'TOO_MANY_PIXELS',
        `evidence may have at most ${EVIDENCE_MAX_PIXELS} pixels; send a smaller photo`,
      );
    const [report] = (await this.db.query(
      `SELECT tracking_code, lat, lon, received_at FROM report WHERE id = $1`,
      [reportId],
    )) as Array<{
      tracking_code: string;
      lat: number | null;
      lon: number | null;
      received_at: Date | null;
    }>;
    if (!report) throw new ApiError(404, 'NOT_FOUND', `no report ${reportId}`);
    const meta = await readPhotoMetadata(bytes);
    const flags = [
      ...(await this.reuseFlags(reportId, dhash)),
      ...placeAndTimeFlags(meta, report, this.settings.maxDistanceMetres),
    ];

    const id = randomUUID();
    const key = `${reportId}/${id}`;
    await this.storage.put(key, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await this.db.query(
      `INSERT INTO evidence (id, report_id, uploaded_by, content_type, size, sha256, dhash, storage_key, exif, flags)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        id,
        reportId,
        who.id,
        contentType,
        bytes.length,
        sha256,
        dhash,
        key,
        JSON.stringify(meta),
        JSON.stringify(flags),
      ],
    );
    return (await this.list(reportId)).find((e) => e.id === id)!;
  }

  private async reuseFlags(reportId: string, dhash: string): Promise<EvidenceFlag[]> {
    const matches = (await this.db.query(
      `SELECT r.tracking_code, bit_count((e.dhash # $2::bigint)::bit(64))::int AS distance
         FROM evidence e JOIN report r ON r.id = e.report_id
        WHERE e.report_id <> $1 AND bit_count((e.dhash # $2::bigint)::bit(64)) <= $3
        ORDER BY distance LIMIT 5`,
      [reportId, dhash, this.settings.hashDistance],
    )) as Array<{ tracking_code: string; distance: number }>;
    return matches.map((m) => ({
      code: 'REUSED_PHOTO' as const,
      detail: `nearly identical to evidence of report ${m.tracking_code} (distance ${m.distance} of 64)`,
    }));
  }

  async list(reportId: string): Promise<EvidenceView[]> {
    const rows = (await this.db.query(
      `SELECT e.id, e.content_type, e.size, e.sha256, e.uploaded_at, e.uploaded_by, e.flags,
              EXISTS (SELECT 1 FROM report_transition t WHERE t.report_id = e.report_id AND t.evidence @> jsonb_build_array(jsonb_build_object('id', e.id::text))) AS used
         FROM evidence e WHERE e.report_id = $1 ORDER BY e.uploaded_at, e.id`,
      [reportId],
    )) as EvidenceRow[];
    return rows.map((r) => ({
      id: r.id,
      url: `/v1/officer/evidence/${r.id}`,
      contentType: r.content_type,
      size: r.size,
      sha256: r.sha256,
      uploadedAt: r.uploaded_at.toISOString(),
      uploadedBy: r.uploaded_by,
      usedInTransition: r.used,
      flags: r.flags,
    }));
  }

  /** The stored bytes and the report they belong to (for the caller's access check). */
  async original(
    evidenceId: string,
  ): Promise<{ reportId: string; contentType: string; bytes: Buffer } | null> {
    const [row] = (await this.db.query(
      `SELECT report_id, content_type, storage_key FROM evidence WHERE id = $1`,
      [evidenceId],
    )) as Array<{
      report_id: string;
      content_type: string;
      storage_key: string;
    }>;
    if (!row) return null;
    return {
      reportId: row.report_id,
      contentType: row.content_type,
      bytes: await this.storage.get(row.storage_key),
    };
  }

  /** Evidence shown on the public timeline: only photos a follow-up used, re-encoded without metadata. */
  async publicCopy(evidenceId: string): Promise<Buffer | null> {
    const [row] = (await this.db.query(
      `SELECT e.storage_key FROM evidence e
        WHERE e.id = $1 AND EXISTS (SELECT 1 FROM report_transition t WHERE t.report_id = e.report_id
                                     AND t.evidence @> jsonb_build_array(jsonb_build_object('id', e.id::text)))`,
      [evidenceId],
    )) as Array<{ storage_key: string }>;
    if (!row) return null;
    return decodeEvidence(await this.storage.get(row.storage_key))
      .rotate()
      .jpeg({ quality: 85 })
      .toBuffer();
  }
}

export function placeAndTimeFlags(
  meta: PhotoMetadata,
  report: { lat: number | null; lon: number | null; received_at: Date | null },
  maxDistanceMetres: number,
): EvidenceFlag[] {
  const flags: EvidenceFlag[] = [];
  if (meta.lat !== undefined && meta.lon !== undefined && report.lat !== null && report.lon !== null) {
    const d = distanceMetres({ lat: meta.lat, lon: meta.lon }, { lat: report.lat, lon: report.lon });
    if (d > maxDistanceMetres)
      flags.push({ code: 'FAR_FROM_REPORT', detail: `taken ${Math.round(d)} m from the reported location` });
  }
  if (meta.takenAt && report.received_at && new Date(meta.takenAt) < new Date(report.received_at)) {
    flags.push({
      code: 'TAKEN_BEFORE_REPORT',
      detail: `taken ${meta.takenAt}, before the report was received`,
    });
  }
  return flags;
}
