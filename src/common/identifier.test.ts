import 'reflect-metadata';
import { IsOptional, validate } from 'class-validator';
import { checkIdentifier, Identifier } from './identifier';

class Sample {
  @Identifier({ min: 2, max: 10 })
  instrument: string;

  @IsOptional()
  @Identifier({ max: 10 })
  section?: string | null;
}

const sample = (instrument: string, section?: string | null) => Object.assign(new Sample(), { instrument, section });

describe('identifiers', () => {
  it.each([
    ['NUL', '\u0000'],
    ['ESC', '\u001b'],
    ['CR', '\r'],
    ['LF', '\n'],
    ['tab', '\t'],
    ['DEL', '\u007f'],
    ['C1 NEL', '\u0085'],
    ['C1 CSI', '\u009b'],
    ['ALM', '\u061c'],
    ['LRM', '\u200e'],
    ['RLM', '\u200f'],
    ['LRE', '\u202a'],
    ['RLO', '\u202e'],
    ['LRI', '\u2066'],
    ['PDI', '\u2069'],
  ])('refuses %s anywhere, even at an end that trimming would remove', (_name, char) => {
    for (const value of [`ab${char}cd`, `${char}abcd`, `abcd${char}`]) {
      const checked = checkIdentifier(value, { max: 200 });
      expect(checked).toEqual({ ok: false, problem: expect.stringMatching(/control or bidi characters \(found U\+[0-9A-F]{4}\)/) });
    }
  });

  it('trims before checking the length, and refuses what is blank after trimming', () => {
    expect(checkIdentifier('   ', { max: 200 })).toEqual({ ok: false, problem: 'must not be empty or blank' });
    expect(checkIdentifier('', { max: 200 })).toEqual({ ok: false, problem: 'must not be empty or blank' });
    expect(checkIdentifier(`  ${'a'.repeat(10)}  `, { max: 10 })).toEqual({ ok: true, value: 'a'.repeat(10) });
    expect(checkIdentifier('a'.repeat(11), { max: 10 })).toMatchObject({ ok: false });
    expect(checkIdentifier(' a ', { min: 2, max: 10 })).toMatchObject({ ok: false });
    expect(checkIdentifier(42, { max: 10 })).toEqual({ ok: false, problem: 'must be a string' });
  });

  it('keeps scripts and characters that are not controls', () => {
    for (const value of ['تحریک طالبان', 'PECA 2016 s.37', 'QDe.132', 'ттр_media', 'café-№1']) {
      expect(checkIdentifier(value, { max: 200 })).toEqual({ ok: true, value });
    }
  });

  it('as a decorator: names the field, and stores the trimmed value only when valid', async () => {
    const good = sample('  PECA 2016  ', ' s.37 ');
    expect(await validate(good)).toEqual([]);
    expect(good).toMatchObject({ instrument: 'PECA 2016', section: 's.37' });

    const bad = sample('PECA\u202e2016', '   ');
    const errors = await validate(bad);
    expect(errors.map((e) => [e.property, Object.values(e.constraints ?? {})[0]])).toEqual([
      ['instrument', 'instrument must not contain control or bidi characters (found U+202E)'],
      ['section', 'section must not be empty or blank'],
    ]);
    expect(bad.section).toBe('   ');

    expect(await validate(sample('PECA 2016', null))).toEqual([]);
  });
});
