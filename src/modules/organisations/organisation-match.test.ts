import { crossScriptNameKey, exactNameKey, hasName, OrganisationMatcher } from './organisation-match';

const ttp = { id: 'ttp', name: 'Tehrik-i-Taliban Pakistan', aliases: ['TTP'] };
const bla = { id: 'bla', name: 'Balochistan Liberation Army', aliases: [] as string[] };
const let_ = { id: 'let', name: 'Lashkar-e-Tayyiba', aliases: ['Jamaat-ud-Dawa'] };

describe('organisation names', () => {
  it('ignores case, punctuation, spacing and look-alike characters in the exact key', () => {
    expect(exactNameKey('TEHRIK-I-TALIBAN PAKISTAN')).toBe(exactNameKey('Tehrik i Taliban  Pakistan'));
    expect(exactNameKey('Tehrik‐i‐Taliban Pakistan')).toBe(exactNameKey('Tehrik-i-Taliban Pakistan'));
    expect(exactNameKey('Теhrik-i-Taliban Pakistan')).toBe(exactNameKey('Tehrik-i-Taliban Pakistan'));
    expect(exactNameKey('Tehreek-e-Taliban Pakistan')).not.toBe(exactNameKey('Tehrik-i-Taliban Pakistan'));
  });

  it('gives spelling variants and Arabic-script forms the same cross-script key', () => {
    const key = crossScriptNameKey('Tehrik-i-Taliban Pakistan');
    expect(key).not.toBeNull();
    for (const variant of ['Tehreek-e-Taliban Pakistan', 'TEHRIK-E TALIBAN PAKISTAN', 'تحریک طالبان پاکستان', 'تحريك طالبان باكستان']) {
      expect(crossScriptNameKey(variant)).toBe(key);
    }
    expect(crossScriptNameKey('Lashkar e Taiba')).toBe(crossScriptNameKey('لشکر طیبہ'));
  });

  it('does not trust a short consonant skeleton', () => {
    expect(crossScriptNameKey('Al-Qaida')).toBeNull();
    expect(crossScriptNameKey('TTP')).toBeNull();
  });

  it('knows a name already held, whatever its case or punctuation', () => {
    expect(hasName(ttp, 'ttp')).toBe(true);
    expect(hasName(ttp, 'TEHRIK I TALIBAN PAKISTAN')).toBe(true);
    expect(hasName(ttp, 'تحریک طالبان پاکستان')).toBe(false);
  });
});

describe('OrganisationMatcher', () => {
  const matcher = new OrganisationMatcher([ttp, bla, let_]);

  it('matches by name or any alias, case and punctuation aside', () => {
    expect(matcher.match(['TEHRIK-I-TALIBAN PAKISTAN'])).toMatchObject({ kind: 'MATCHED', organisation: ttp, by: 'NAME' });
    expect(matcher.match(['Unknown front', 'jamaat ud dawa'])).toMatchObject({ kind: 'MATCHED', organisation: let_, by: 'NAME', listedName: 'jamaat ud dawa' });
  });

  it('matches a transliteration variant and an Arabic-script alias to the Latin name', () => {
    expect(matcher.match(['Tehreek-e-Taliban Pakistan'])).toMatchObject({ kind: 'MATCHED', organisation: ttp, by: 'CROSS_SCRIPT' });
    expect(matcher.match(['تحریک طالبان پاکستان'])).toMatchObject({ kind: 'MATCHED', organisation: ttp, by: 'CROSS_SCRIPT' });
    expect(matcher.match(['لشکر طیبہ'])).toMatchObject({ kind: 'MATCHED', organisation: let_, by: 'CROSS_SCRIPT' });
  });

  it('splits a parenthesised acronym off the name', () => {
    expect(matcher.match(['Tehrik-e Taliban Pakistan (TTP)'])).toMatchObject({ kind: 'MATCHED', organisation: ttp });
  });

  it('prefers an exact hit to a cross-script one', () => {
    const both = new OrganisationMatcher([ttp, { id: 'other', name: 'Tehreek e Taliban Pakistan', aliases: [] }]);
    expect(both.match(['TEHREEK-E-TALIBAN PAKISTAN'])).toMatchObject({ kind: 'MATCHED', organisation: { id: 'other' }, by: 'NAME' });
  });

  it('reports names that hit two organisations as ambiguous instead of merging them', () => {
    const result = matcher.match(['TTP', 'Balochistan Liberation Army']);
    expect(result.kind).toBe('AMBIGUOUS');
    expect(result.kind === 'AMBIGUOUS' && result.candidates.map((c) => c.id).sort()).toEqual(['bla', 'ttp']);
    const twins = new OrganisationMatcher([ttp, { id: 'twin', name: 'Tehreek-e-Taliban Pakistan', aliases: [] }]);
    expect(twins.match(['تحریک طالبان پاکستان']).kind).toBe('AMBIGUOUS');
  });

  it('finds nothing for an unrelated name or a short one that only shares consonants', () => {
    expect(matcher.match(['Islamic State Khorasan Province']).kind).toBe('NONE');
    expect(new OrganisationMatcher([{ id: 'q', name: 'Al-Qaida', aliases: [] }]).match(['Al-Qadi']).kind).toBe('NONE');
  });

  it('indexes aliases added later', () => {
    const growing = new OrganisationMatcher([{ ...bla }]);
    expect(growing.match(['BLA']).kind).toBe('NONE');
    growing.add({ ...bla, aliases: ['BLA'] });
    expect(growing.match(['BLA'])).toMatchObject({ kind: 'MATCHED', organisation: { id: 'bla' } });
  });
});
