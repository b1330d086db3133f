import { ExchangeCore1763884800000 } from './1763884800000-ExchangeCore';
import { QueueIndexes1763971200000 } from './1763971200000-QueueIndexes';
import { MirrorAlerts1764057600000 } from './1764057600000-MirrorAlerts';
import { Disclosures1764144000000 } from './1764144000000-Disclosures';
import { DeadlineEscalation1764230400000 } from './1764230400000-DeadlineEscalation';
import { AuditLog1764316800000 } from './1764316800000-AuditLog';
import { Complaints1764403200000 } from './1764403200000-Complaints';
import { Webhooks1764489600000 } from './1764489600000-Webhooks';
import { DesignationImport1764576000000 } from './1764576000000-DesignationImport';
import { StixImports1764662400000 } from './1764662400000-StixImports';
import { SignalFeed1764748800000 } from './1764748800000-SignalFeed';
import { PlatformMirrorDecision1764835200000 } from './1764835200000-PlatformMirrorDecision';
import { OrganisationUpdatedAt1764921600000 } from './1764921600000-OrganisationUpdatedAt';
import { AvatarVariants1765008000000 } from './1765008000000-AvatarVariants';
import { ReviewFlagAcknowledgement1765180800000 } from './1765180800000-ReviewFlagAcknowledgement';
import { SignalReconcileWatermark1765267200000 } from './1765267200000-SignalReconcileWatermark';

/** Listed by hand so the same list works from TypeScript (tests) and compiled JavaScript. */
export const MIGRATIONS = [ExchangeCore1763884800000, QueueIndexes1763971200000, MirrorAlerts1764057600000, Disclosures1764144000000, DeadlineEscalation1764230400000, AuditLog1764316800000, Complaints1764403200000, Webhooks1764489600000, DesignationImport1764576000000, StixImports1764662400000, SignalFeed1764748800000, PlatformMirrorDecision1764835200000, OrganisationUpdatedAt1764921600000, AvatarVariants1765008000000, ReviewFlagAcknowledgement1765180800000, SignalReconcileWatermark1765267200000];
