import type { IdentityVault } from '../../vault/identity-vault';
import { ReportStore1764300000000 } from './1764300000000-report-store';
import { OfficerWorkflow1764400000000 } from './1764400000000-officer-workflow';
import { sealReporterContacts } from './1764400000001-seal-reporter-contacts';
import { CitizenFollowUps1764500000000 } from './1764500000000-citizen-follow-ups';
import { derivePublicTexts } from './1764600000000-public-text';
import { Deliveries1764700000000 } from './1764700000000-deliveries';
import { ConfidentialReports1764850000000 } from './1764850000000-confidential-reports';
import { FollowUpKind1764900000000 } from './1764900000000-follow-up-kind';
import { CitizenReviewAndSupport1765000000000 } from './1765000000000-citizen-review-and-support';
import { PublicChangeNotify1764960000000 } from './1764960000000-public-change-notify';
import { ReporterKeysAndReveal1765100000000 } from './1765100000000-reporter-keys-and-reveal';
import { FollowersHearTheirIncident1765100000001 } from './1765100000001-followers-hear-their-incident';
import { OutboxWithoutRecipients1765100000002 } from './1765100000002-outbox-without-recipients';
import { OfficerSessions1765570000000 } from './1765570000000-officer-sessions';
import { OfficerSearch1765600000000 } from './1765600000000-officer-search';
import { OutboxTrace1765700000000 } from './1765700000000-outbox-trace';
import { ReportTasks1765800000000 } from './1765800000000-report-tasks';
import { OfficerPasswordReset1765800000075 } from './1765800000075-officer-password-reset';
import { OfficerMessages1765810000000 } from './1765810000000-officer-messages';
import { OfficerViews1765900000078 } from './1765900000078-officer-views';

/**
 * In the order they apply. Sealing contacts and deriving public texts need the vault key, so the
 * list is built with it.
 */
export function statusMigrations(vault: IdentityVault) {
  return [
    ReportStore1764300000000,
    OfficerWorkflow1764400000000,
    sealReporterContacts(vault),
    CitizenFollowUps1764500000000,
    derivePublicTexts(vault),
    Deliveries1764700000000,
    ConfidentialReports1764850000000,
    FollowUpKind1764900000000,
    PublicChangeNotify1764960000000,
    CitizenReviewAndSupport1765000000000,
    ReporterKeysAndReveal1765100000000,
    FollowersHearTheirIncident1765100000001,
    OutboxWithoutRecipients1765100000002,
    OfficerSessions1765570000000,
    OfficerSearch1765600000000,
    OutboxTrace1765700000000,
    ReportTasks1765800000000,
    OfficerPasswordReset1765800000075,
    OfficerMessages1765810000000,
    OfficerViews1765900000078,
  ];
}
