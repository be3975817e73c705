import type { ComplaintRouted, LifecycleState } from '@aduan/contracts';

/** What the router's outcome means for the report's lifecycle. */
export function stateAfterRouting(outcome: ComplaintRouted['outcome']): LifecycleState {
  switch (outcome) {
    case 'ROUTED':
      return 'RECEIVED'; // assigned, waiting for the unit to take it up
    case 'TRIAGE':
      return 'TRIAGE';
    case 'REJECTED':
      return 'REJECTED';
    case 'DUPLICATE':
      return 'MERGED';
  }
}

/** Keyed by the router's rejection codes (RejectCode in @aduan/routing). */
const REJECTION_REASONS: Record<string, string> = {
  spam_or_advertising: 'pesan promosi atau spam',
  phishing: 'pesan penipuan',
  abuse_without_complaint: 'tidak berisi pengaduan yang dapat ditindaklanjuti',
  irrelevant: 'tidak berisi pengaduan yang dapat ditindaklanjuti',
  thanks: 'berisi ucapan terima kasih, bukan pengaduan',
  unlike_a_complaint: 'tidak berisi pengaduan yang dapat ditindaklanjuti',
  information_question: 'berisi pertanyaan informasi, bukan pengaduan; silakan hubungi layanan informasi',
  private_commercial_matter: 'urusan perdata atau layanan swasta di luar kewenangan Pemprov DKI Jakarta',
  test_message: 'pesan uji coba',
};

/**
 * The note citizens read on the public timeline, in Bahasa Indonesia. It is built from the
 * decision's codes, never from the complaint's text, so it cannot repeat personal data.
 */
export function routingPublicNote(event: ComplaintRouted, masterTrackingCode?: string): string {
  switch (event.outcome) {
    case 'ROUTED':
      return event.unit
        ? `Laporan diteruskan ke ${event.unit.name}.`
        : 'Laporan diteruskan ke unit yang berwenang.';
    case 'TRIAGE':
      return 'Laporan sedang ditelaah petugas CRM untuk menentukan unit yang berwenang.';
    case 'REJECTED': {
      const reason = event.reasons.map((r) => REJECTION_REASONS[r.code]).find(Boolean);
      return `Laporan tidak dapat ditindaklanjuti${reason ? `: ${reason}` : '.'}`;
    }
    case 'DUPLICATE':
      // Never the other report's code: it would open a stranger's report (ADR 0055).
      return masterTrackingCode
        ? 'Laporan digabung dengan laporan lain tentang masalah yang sama; perkembangannya ditampilkan di halaman laporan ini.'
        : 'Laporan digabung dengan laporan lain tentang masalah yang sama.';
  }
}
