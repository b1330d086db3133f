/** The console's operations: names and shapes from schema/schema.graphql, the API's contract. */

export const ME = `query Me { me { sub roles partner { id slug name kind platforms } } }`;

const REQUEST_ROW = `id status kind priority platform overdue needsReview deadlineAt submittedAt createdAt version
  addressedTo { slug name } requestedBy { slug name } accounts { id handle platform } organisations { id name }`;

export const REQUESTS = `query Requests($filter: TakedownRequestFilter, $first: Int, $after: String) {
  takedownRequests(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { endCursor hasNextPage } nodes { ${REQUEST_ROW} }
  }
}`;

export const APPROVALS = `query Approvals($after: String) {
  takedownRequests(filter: { statuses: [DRAFT] }, first: 25, after: $after) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes { ${REQUEST_ROW} allowedTransitions history { sequence actor { sub partner { slug } } } }
  }
}`;

export const REQUEST = `query Request($id: ID!) {
  takedownRequest(id: $id) {
    ${REQUEST_ROW} updatedAt reasons internalNotes distribution allowedTransitions
    legalBasis { instrument section }
    accounts { id handle platform displayName url bio organisations { name } }
    evidence { id url description classification capturedAt sha256 }
    history { id sequence at fromStatus toStatus reasonCode action note noteClassification actor { sub partner { slug name } } }
    reviewFlags { id reason raisedAt acknowledgedAt acknowledgementNote }
  }
}`;

export const ACKNOWLEDGE_REVIEW_FLAG = `mutation AcknowledgeReviewFlag($input: AcknowledgeReviewFlagInput!) {
  acknowledgeReviewFlag(input: $input) { id version needsReview reviewFlags { id acknowledgedAt acknowledgementNote } }
}`;

export const UPDATE_STATUS = `mutation UpdateStatus($input: UpdateTakedownStatusInput!) {
  updateTakedownStatus(input: $input) { id status version allowedTransitions }
}`;

export const STATUS_CHANGED = `subscription StatusChanged {
  takedownStatusChanged { request { id status version platform } entry { fromStatus toStatus actor { partner { slug name } } } }
}`;

export const ORGANISATIONS = `query Organisations($filter: OrganisationFilter, $after: String) {
  organisations(filter: $filter, first: 50, after: $after) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes { id name aliases internalNotes designations { id authority reference designatedOn } }
  }
}`;

export const FLAG_ACCOUNT = `mutation Flag($input: FlagAccountInput!) { flagAccount(input: $input) { id handle platform } }`;

export const ACCOUNTS = `query Accounts($after: String) {
  accounts(first: 100, after: $after) { totalCount pageInfo { endCursor hasNextPage } nodes { id handle platform displayName organisations { name } } }
}`;

export const CREATE_REQUEST = `mutation Draft($input: CreateTakedownRequestInput!) { createTakedownRequest(input: $input) { id } }`;

export const MIRROR_ALERTS = `query Alerts($filter: MirrorAlertFilter, $after: String) {
  mirrorAlerts(filter: $filter, first: 20, after: $after) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes {
      id status source verdict probability signals platform createdAt reviewedAt draftRequestId platformDecision platformDecisionNote platformDecidedAt
      candidate { handle displayName bio links platform }
      matched { handle displayName platform organisations removedAt }
    }
  }
}`;

export const REVIEW_ALERT = `mutation Review($input: ReviewMirrorAlertInput!) { reviewMirrorAlert(input: $input) { id status draftRequestId } }`;

export const RECORD_PLATFORM_DECISION = `mutation PlatformDecision($input: RecordPlatformMirrorDecisionInput!) {
  recordPlatformMirrorDecision(input: $input) { id platformDecision platformDecisionNote platformDecidedAt }
}`;

export const DISCLOSURES = `query Disclosures($after: String) {
  disclosureRequests(first: 25, after: $after) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes { id type status platform categories createdAt deadlineAt overdue caseReference addressedTo { name } requestedBy { name } }
  }
}`;

export const DISCLOSURE = `query Disclosure($id: ID!) {
  disclosureRequest(id: $id) {
    id type status platform categories caseReference dataFrom dataTo submittedAt deadlineAt version
    legalBasis { instrument section } addressedTo { name } requestedBy { name }
    accounts { handle url platformAccountId }
    production { categories mediaType producedAt sha256 sizeBytes }
    openings { id at purpose sub partner { name } }
    history { id sequence at fromStatus toStatus note actor { sub partner { name } } }
  }
}`;

export const OPEN_DISCLOSURE = `mutation Open($id: ID!, $purpose: String!) {
  openDisclosure(id: $id, purpose: $purpose) { disclosureRequestId mediaType payloadBase64 sha256 openedAt }
}`;

export const REPORT_FIGURES = `query Figures($from: DateTimeISO!, $to: DateTimeISO!) {
  transparencyReport(from: $from, to: $to) {
    requests accounts overdueNow medianHoursToAction p90HoursToAction shareAnsweredInTime withdrawn reinstated
    byPlatform { key requests accounts } actionedByAction { key count } rejectedByReason { key count }
  }
}`;

/** One aliased report per period or platform: the API aggregates, the console only draws. */
export function reportSeries(aliases: { alias: string; from: string; to: string; platform?: string }[]): string {
  const fields = aliases
    .map((a) => `${a.alias}: transparencyReport(from: "${a.from}", to: "${a.to}"${a.platform ? `, platform: ${a.platform}` : ''}) { requests medianHoursToAction p90HoursToAction }`)
    .join('\n');
  return `query Series {\n${fields}\n}`;
}
