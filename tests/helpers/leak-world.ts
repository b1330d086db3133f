import { Casework } from './casework';

/**
 * The world of the leak walks (visibility, STIX, TAXII): an organisation, accounts on two
 * platforms, a covert one, one never requested and one named by a draft only, with requests
 * submitted for three of them. Every agency-internal value carries a SECRET marker that must
 * never reach a platform, and RESTRICTED evidence sits beside SHAREABLE evidence.
 */
export async function plantLeakWorld(cw: Casework): Promise<Record<string, string>> {
  const planted: Record<string, string> = {};
  const evidence = (tag: string) => [
    { url: `https://evidence.example/${tag}/public`, classification: 'SHAREABLE' },
    { url: `https://evidence.example/${tag}/SECRET-restricted`, classification: 'RESTRICTED' },
  ];
  planted.org = await cw.organisation(cw.analyst, 'SECRET-org-note');
  const account = (platform: string, tag: string, distribution = 'ALL_AGENCIES') =>
    cw.account({ platform, distribution, organisationIds: [planted.org], internalNotes: `SECRET-${tag}-note`, evidence: evidence(tag) });
  planted.accountX = await account('X', 'x');
  planted.accountMeta = await account('FACEBOOK', 'meta');
  planted.accountCovert = await account('X', 'covert', 'ORIGINATOR_ONLY');
  planted.accountUnrequested = await account('X', 'unrequested');
  planted.accountDraftOnly = await account('X', 'draftonly');
  const submit = async (accountId: string) => {
    const draft = await cw.draft({ accountIds: [accountId], internalNotes: 'SECRET-request-note' });
    await cw.move(cw.supervisor, draft.id, 'SUBMITTED', { note: 'SECRET-history-note' });
    return draft.id;
  };
  planted.requestX = await submit(planted.accountX);
  planted.requestMeta = await submit(planted.accountMeta);
  planted.requestCovert = await submit(planted.accountCovert);
  planted.requestDraft = (await cw.draft({ accountIds: [planted.accountDraftOnly], internalNotes: 'SECRET-draft-note' })).id;
  return planted;
}
