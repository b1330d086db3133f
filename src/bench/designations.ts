import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { principalFromPartner } from '../auth/principal';
import { Role } from '../auth/roles';
import { PartnerKind } from '../common/enums';
import { DesignationSource } from '../modules/designations/lists/sanctions-list';
import { parseSanctionsList } from '../modules/designations/lists/parse-list';
import { closeServices, createContext, openServices } from '../services';
import { benchConfig } from './support';

type Say = (line?: string) => void;

const SYLLABLES = ['ta', 'li', 'ban', 'ja', 'maat', 'ah', 'rar', 'lash', 'kar', 'jhan', 'gvi', 'sa', 'ha', 'ba', 'ho', 'ra', 'sán', 'khu', 'dam', 'qa'];

/** A distinct pronounceable name per index (its first word spells the index in base 20). */
function nameOf(i: number): string {
  const word = (n: number, length: number) => Array.from({ length }, (_, k) => SYLLABLES[Math.floor(n / 20 ** k) % 20]).join('');
  return `${word(i, 4)}-e-${word(i * 7 + 3, 3)} Front`;
}

/** A list in the UN Consolidated List layout with `entities` entities, a quarter as many individuals, and every n-th entity left out. */
export function syntheticUnList(entities: number, dropEvery = 0, generated = '2026-11-20T08:00:00Z'): string {
  const parts = [`<?xml version="1.0" encoding="UTF-8"?>\n<CONSOLIDATED_LIST dateGenerated="${generated}">\n<INDIVIDUALS>`];
  for (let i = 0; i < entities / 4; i++) parts.push(`<INDIVIDUAL><DATAID>${i}</DATAID><FIRST_NAME>PERSON</FIRST_NAME><SECOND_NAME>${i}</SECOND_NAME><REFERENCE_NUMBER>QDi.${i}</REFERENCE_NUMBER></INDIVIDUAL>`);
  parts.push('</INDIVIDUALS>\n<ENTITIES>');
  for (let i = 0; i < entities; i++) {
    if (dropEvery && i % dropEvery === 0) continue;
    parts.push(`<ENTITY>
  <DATAID>${100000 + i}</DATAID><FIRST_NAME>${nameOf(i).toUpperCase()}</FIRST_NAME><REFERENCE_NUMBER>QDe.${i}</REFERENCE_NUMBER><LISTED_ON>2011-07-29</LISTED_ON>
  <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>${nameOf(i)}</ALIAS_NAME></ENTITY_ALIAS>
  <ENTITY_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Group ${i}</ALIAS_NAME></ENTITY_ALIAS>
</ENTITY>`);
  }
  parts.push('</ENTITIES>\n</CONSOLIDATED_LIST>\n');
  return parts.join('\n');
}

/** Seconds for each step of importing a large list into a fresh SQLite file: parse, dry run, import, re-import, 1% de-listed. */
export async function runDesignationImport(options: { dir: string; entities: number; say: Say }): Promise<void> {
  const { dir, entities, say } = options;
  say(`\n## Designation import: a ${entities}-entity list in the UN layout, SQLite file`);
  const first = syntheticUnList(entities);
  const second = syntheticUnList(entities, 100, '2026-11-23T08:00:00Z');
  const services = await openServices(benchConfig(`sqlite:${path.join(dir, 'designations.sqlite')}`));
  try {
    const pta = await services.partners.add({ slug: 'pta', kind: PartnerKind.AGENCY });
    const ctx = createContext(services, principalFromPartner(pta, 'bench', [Role.AGENCY_SYSTEM], Number.MAX_SAFE_INTEGER), 'bench', false);
    // The longest stall says how long an instance importing a list would answer nothing else.
    const timed = async <T>(label: string, work: () => Promise<T> | T): Promise<T> => {
      const stalls = monitorEventLoopDelay({ resolution: 10 });
      stalls.enable();
      // It measures from one tick of its timer to the next, so the first tick must come before the work.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const started = process.hrtime.bigint();
      const result = await work();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // The sampler notices a stall only when its timer finally runs.
      await new Promise((resolve) => setTimeout(resolve, 50));
      stalls.disable();
      say(`| ${label} | ${seconds.toFixed(2)} s | ${Math.round(entities / seconds)} entities/s | ${(stalls.max / 1e9).toFixed(2)} s |`);
      return result;
    };
    say(`(file: ${(first.length / 2 ** 20).toFixed(1)} MiB)\n\n| step | time | rate | longest event-loop stall |\n|---|---|---|---|`);
    await timed('parse only, on the event loop (what the mutation did before it used a worker)', () => parseSanctionsList(DesignationSource.UN, first));
    const dry = await timed('dry run (parse and plan)', () => services.designationImports.import(ctx, { source: DesignationSource.UN, content: first, dryRun: true }));
    await timed('first import (all new)', () => services.designationImports.import(ctx, { source: DesignationSource.UN, content: first }));
    const again = await timed('same file again (no-op)', () => services.designationImports.import(ctx, { source: DesignationSource.UN, content: first }));
    const delisted = await timed('1% de-listed', () => services.designationImports.import(ctx, { source: DesignationSource.UN, content: second }));
    say(`\nnew organisations ${dry.newOrganisations.length}, unresolved ${dry.unresolved.length}; re-import empty: ${again.empty}; de-listings ${delisted.delistings.length}`);
  } finally {
    await closeServices(services);
  }
}
