import { DataSource } from 'typeorm';
import { inTransaction } from '../../db/transaction';
import { WebhookEndpoint } from '../webhooks/webhook.entity';
import { Keyring, SealedPayload } from './sealing';

/** The columns that hold a wrapped data key: disclosed data, evidence bytes, complainants' contacts. */
const SEALED = [
  { table: 'disclosure_productions', wrappedKey: 'wrappedKey', keyId: 'keyId' },
  { table: 'evidence_items', wrappedKey: 'wrappedKey', keyId: 'keyId' },
  { table: 'complaints', wrappedKey: 'contactWrappedKey', keyId: 'contactKeyId' },
] as const;

/**
 * Moves every data key onto the keyring's current master key; payloads are not touched. Returns
 * how many keys were rewrapped. `pax keys rewrap` runs it after a new key is made current.
 */
export async function rewrapSealedKeys(db: DataSource, keyring: Keyring, onProgress: (done: number, total: number) => void = () => undefined): Promise<number> {
  const current = keyring.currentKeyId;
  const pending: { table: string; wrappedKeyColumn: string; keyIdColumn: string; id: string; wrappedKey: string; keyId: string }[] = [];
  for (const { table, wrappedKey, keyId } of SEALED) {
    const rows: { id: string; wrappedKey: string; keyId: string }[] = await db
      .createQueryBuilder()
      .select('t.id', 'id')
      .addSelect(`t.${wrappedKey}`, 'wrappedKey')
      .addSelect(`t.${keyId}`, 'keyId')
      .from(table, 't')
      .where(`t.${keyId} IS NOT NULL AND t.${keyId} <> :current`, { current })
      .getRawMany();
    for (const row of rows) pending.push({ table, wrappedKeyColumn: wrappedKey, keyIdColumn: keyId, ...row });
  }
  // Webhook signing secrets keep their whole sealed payload in one JSON column (the current secret,
  // and the one before a rotation while it still signs).
  const endpoints = (await db.getRepository(WebhookEndpoint).find({ select: { id: true, secret: true, previousSecret: true } })).filter(
    (e) => e.secret.keyId !== current || (e.previousSecret && e.previousSecret.keyId !== current),
  );
  const total = pending.length + endpoints.length;
  let done = 0;
  for (const row of pending) {
    const rewrapped = keyring.rewrap(row);
    await inTransaction(db, (em) =>
      em.createQueryBuilder().update(row.table).set({ [row.wrappedKeyColumn]: rewrapped.wrappedKey, [row.keyIdColumn]: rewrapped.keyId }).where('id = :id', { id: row.id }).execute(),
    );
    onProgress(++done, total);
  }
  const moved = (sealed: SealedPayload): SealedPayload => (sealed.keyId === current ? sealed : { ...sealed, ...keyring.rewrap(sealed) });
  for (const endpoint of endpoints) {
    await inTransaction(db, (em) =>
      em.update(WebhookEndpoint, { id: endpoint.id }, { secret: moved(endpoint.secret), previousSecret: endpoint.previousSecret && moved(endpoint.previousSecret) }),
    );
    onProgress(++done, total);
  }
  return done;
}
