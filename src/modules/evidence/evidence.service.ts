import crypto from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { PaxContext, principalOf } from '../../context';
import { scopeEvidence } from '../../access/policy';
import { Principal } from '../../auth/principal';
import { badInput, notFound } from '../../common/errors';
import { isId, newId } from '../../common/ids';
import { inTransaction } from '../../db/transaction';
import { Keyring } from '../disclosures/sealing';
import { EvidenceAccess, EvidenceAccessAction, EvidenceItem } from './evidence.entity';
import { EvidenceInput, EvidenceVerification } from './evidence.types';

export const sha256Hex = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');

/** The row an evidence item's sealed bytes are bound to, so they cannot be moved to another item. */
const bindingOf = (item: Pick<EvidenceItem, 'id'>) => `evidence:${item.id}`;

/** Evidence with chain of custody: capture, sealed storage, verification and the access log. */
export class EvidenceService {
  constructor(
    private readonly db: DataSource,
    private readonly keyring: Keyring,
    private readonly maxBytes: number,
  ) {}

  /** Decodes and checks a captured copy before any write, so a refusal leaves nothing behind. */
  decode(input: EvidenceInput): Buffer | null {
    if (!input.url && !input.contentBase64) throw badInput('evidence needs a url, contentBase64 or both', { field: 'evidence' });
    if (!input.contentBase64) return null;
    const bytes = Buffer.from(input.contentBase64, 'base64');
    if (bytes.length === 0) throw badInput('contentBase64 is empty', { field: 'contentBase64' });
    if (bytes.length > this.maxBytes) {
      throw badInput(`evidence content is ${bytes.length} bytes; the limit is ${this.maxBytes} (PAX_EVIDENCE_MAX_BYTES)`, { field: 'contentBase64' });
    }
    if (input.sha256 && input.sha256.toLowerCase() !== sha256Hex(bytes)) {
      throw badInput('the uploaded bytes do not match the sha256 you sent; upload them again', { field: 'sha256' });
    }
    return bytes;
  }

  /** Writes one item inside the caller's transaction. */
  async capture(
    em: EntityManager,
    principal: Principal,
    owner: { accountId: string } | { disclosureRequestId: string },
    input: EvidenceInput,
    bytes: Buffer | null,
  ): Promise<EvidenceItem> {
    const now = new Date();
    const item = em.create(EvidenceItem, {
      id: newId(),
      accountId: null,
      disclosureRequestId: null,
      ...owner,
      url: input.url ?? null,
      description: input.description ?? null,
      classification: input.classification,
      addedByPartnerId: principal.partnerId,
      capturedBySub: principal.sub,
      capturedAt: input.capturedAt ?? now,
      sha256: bytes ? sha256Hex(bytes) : null,
      sizeBytes: bytes?.length ?? null,
      mediaType: bytes ? (input.mediaType ?? 'application/octet-stream') : null,
      ciphertext: null,
      iv: null,
      authTag: null,
      wrappedKey: null,
      keyId: null,
      createdAt: now,
    });
    if (bytes) Object.assign(item, this.keyring.seal(bytes, bindingOf(item)));
    await em.insert(EvidenceItem, item);
    return item;
  }

  /** The captured bytes (base64) of an item the caller can already see; the read is logged. */
  async content(ctx: PaxContext, item: EvidenceItem): Promise<string | null> {
    if (!item.ciphertext) return null;
    const bytes = this.open(item);
    await this.record(ctx, item, EvidenceAccessAction.READ_CONTENT);
    return bytes.toString('base64');
  }

  async verify(ctx: PaxContext, id: string): Promise<EvidenceVerification> {
    const item = await this.find(principalOf(ctx), id);
    if (!item) throw notFound('EvidenceItem', id);
    const checkedAt = new Date();
    await this.record(ctx, item, EvidenceAccessAction.VERIFIED);
    if (!item.ciphertext) {
      return { evidence: item, intact: false, storedSha256: item.sha256, computedSha256: null, detail: 'no captured copy: only a URL was recorded', checkedAt };
    }
    let computed: string;
    try {
      computed = sha256Hex(this.open(item));
    } catch {
      return { evidence: item, intact: false, storedSha256: item.sha256, computedSha256: null, detail: 'the sealed bytes fail authentication: they were altered', checkedAt };
    }
    const intact = computed === item.sha256;
    const detail = intact ? 'the bytes hash to the SHA-256 stored at capture' : 'the stored SHA-256 differs from the bytes: the record was altered';
    return { evidence: item, intact, storedSha256: item.sha256, computedSha256: computed, detail, checkedAt };
  }

  /** The custody log of an item. */
  accessesOf(item: EvidenceItem): Promise<EvidenceAccess[]> {
    return this.db.getRepository(EvidenceAccess).find({ where: { evidenceItemId: item.id }, order: { id: 'ASC' } });
  }

  private open(item: EvidenceItem): Buffer {
    return this.keyring.open(
      { ciphertext: item.ciphertext!, iv: item.iv!, authTag: item.authTag!, wrappedKey: item.wrappedKey!, keyId: item.keyId! },
      bindingOf(item),
    );
  }

  private find(principal: Principal, id: string): Promise<EvidenceItem | null> {
    if (!isId(id)) return Promise.resolve(null);
    return scopeEvidence(this.db.getRepository(EvidenceItem).createQueryBuilder('e'), 'e', principal).andWhere('e.id = :id', { id }).getOne();
  }

  private async record(ctx: PaxContext, item: EvidenceItem, action: EvidenceAccessAction): Promise<void> {
    const principal = principalOf(ctx);
    await inTransaction(this.db, (em) =>
      em.insert(EvidenceAccess, {
        id: newId(),
        evidenceItemId: item.id,
        partnerId: principal.partnerId,
        sub: principal.sub,
        action,
        at: new Date(),
        requestId: ctx.requestId,
      }),
    );
  }
}
