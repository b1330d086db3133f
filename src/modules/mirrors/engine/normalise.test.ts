import { consonantKey, coreKey, nameKeys, phoneticKey, visualKey } from './normalise';
import { extractLinks, minhash, minhashSimilarity } from './text';

describe('name normalisation, one evasion family at a time', () => {
  const original = nameKeys('ttp_media');

  it.each([
    ['NFKC (fullwidth)', 'ｔｔｐ＿ｍｅｄｉａ'],
    ['zero-width and bidi controls', 't\u200Btp_me\u202Edia\u2060'],
    ['TR39 confusables: Cyrillic', 'ттр_media'],
    ['TR39 confusables: Greek and Cyrillic vowels', 'ttp_mеdіа'],
    ['TR39 confusables: rn for m', 'ttp_rnedia'],
    ['leetspeak', 'TTP_MED1A'],
    ['leetspeak with symbols', 'ttp_m3d!@'],
  ])('%s maps to the same visual key', (_family, evasion) => {
    expect(visualKey(evasion)).toBe(original.visual);
  });

  it.each([
    ['digits appended', 'ttp_media2'],
    ['underscores and dots', 'ttp.media.official'],
    ['mirror affixes', 'ttp_media_backup'],
    ['glued affixes', 'ttpmediaofficial'],
    ['prefix', 'real_ttp_media'],
  ])('%s reduce to the same core', (_family, evasion) => {
    expect(nameKeys(evasion).core).toBe(original.core);
  });

  it('matches names across scripts by their consonants', () => {
    expect(nameKeys('تحریک طالبان پاکستان').consonants).toBe(nameKeys('Tehreek-i-Taliban Pakistan').consonants);
    expect(nameKeys('ولایت خراسان').consonants).toBe(nameKeys('Wilayat Khorasan').consonants);
    expect(consonantKey(phoneticKey('Талибан'))).toBe(consonantKey(phoneticKey('Taliban')));
  });

  it('keeps different names apart', () => {
    expect(nameKeys('dawn_news').core).not.toBe(original.core);
    expect(visualKey('bbc_urdu')).not.toBe(original.visual);
    expect(consonantKey('taliban')).not.toBe(consonantKey('telethon'));
    expect(coreKey('media')).toBe('media');
  });
});

describe('bio text', () => {
  it('finds copied bios by MinHash and tells unrelated ones apart', () => {
    const bio = 'Official voice of the caravan. Statements, audio and video releases. Follow for daily bulletins.';
    expect(minhashSimilarity(minhash(bio), minhash(bio.replace('daily', 'weekly')))).toBeGreaterThan(0.7);
    expect(minhashSimilarity(minhash(bio), minhash('Cricket fan from Lahore. Food, travel and music.'))).toBeLessThan(0.2);
  });

  it('extracts Telegram and WhatsApp links, @handles and phone numbers in one canonical form', () => {
    expect(
      extractLinks([
        'Backup: https://t.me/Umar_Media2 and t.me/s/umar_media2 — WhatsApp https://whatsapp.com/channel/0029VaXyZ, chat.whatsapp.com/AbCd',
        'Follow @ttp_rnedia, call +92 300 1234567 or visit www.example.org/news.',
      ]),
    ).toEqual([
      'handle:ttp_media',
      'phone:923001234567',
      'tg:umar_media2',
      'url:example.org/news',
      'wa-channel:0029vaxyz',
      'wa:abcd',
    ]);
  });
});
