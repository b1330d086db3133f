import { consonantKey, coreKey, nameKeys, phoneticKey, readableCore, visualKey } from './normalise';
import { exactLinks, fuzzyLinkKey, linkTokens, minhash, minhashSimilarity } from './text';

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
    ['decorations: an emoji between words', 'ttp🔥media'],
    ['decorations: flags around the name', '🇵🇰ttp_media🇦🇫'],
    ['decorations: a variation selector', 'ttp_media⭐️'],
    ['decorations: a ZWJ emoji sequence inside', 'ttp👨‍👩‍👧_media'],
    ['decorations: a skin-tone modifier', 'ttp👉🏽media'],
    ['decorations: negative squared letters', '🆃🆃🅿_media'],
    ['decorations: negative circled letters', '🅣🅣🅟_media'],
    ['decorations: fullwidth letters with zero-width joiners inside', 'ｔ\u200Dｔｐ\u200C_ｍｅｄ\u2060ｉａ'],
  ])('%s reduce to the same core', (_family, evasion) => {
    expect(nameKeys(evasion).core).toBe(original.core);
  });

  it('matches names across scripts by their consonants', () => {
    expect(nameKeys('تحریک طالبان پاکستان').consonants).toBe(nameKeys('Tehreek-i-Taliban Pakistan').consonants);
    expect(nameKeys('ولایت خراسان').consonants).toBe(nameKeys('Wilayat Khorasan').consonants);
    expect(consonantKey(phoneticKey('Талибан'))).toBe(consonantKey(phoneticKey('Taliban')));
  });

  it('drops a keycap mark and keeps its digit', () => {
    expect(visualKey('ttp_media_2️⃣')).toBe(visualKey('ttp_media_2'));
  });

  // Each pair: the Urdu or Pashto letter, then the Arabic letter of its sound.
  it.each([
    ['Urdu (retroflex t, d, r; noon ghunna; bari ye)', 'ٹت ڈد ڑر ںن ےي'],
    ['Pashto (ringed t, d, r; x̌in; zhe with ring; dze; tse; gaf)', 'ټت ډد ړر ښش ږژ ځز څس ګگ'],
  ])('%s letters read as the Arabic letter of their sound', (_language, pairs) => {
    for (const [local, arabic] of pairs.split(' ')) {
      expect(phoneticKey(`ب${local}ن`)).toBe(phoneticKey(`ب${arabic}ن`));
      expect(visualKey(`ب${local}ن`)).toBe(visualKey(`ب${arabic}ن`));
    }
  });

  it('matches a name moved between Latin, Urdu and Pashto spellings', () => {
    expect(nameKeys('ڈاکٹر').consonants).toBe(nameKeys('Daktar').consonants);
    expect(nameKeys('ډاکټر').consonants).toBe(nameKeys('Daktar').consonants);
    expect(nameKeys('ٹیپو سلطان').consonants).toBe(nameKeys('Tipu Sultan').consonants);
    expect(nameKeys('ګل ځان').consonants).toBe(nameKeys('Gul Zan').consonants);
    expect(nameKeys('پښتون').consonants).toBe(nameKeys('Pashtun').consonants);
  });

  it('shows a core a reviewer can find in the handle', () => {
    expect(readableCore('ttp_media_official')).toBe('ttp');
    expect(readableCore('tehreek_lashkar_real')).toBe('tehreeklashkar');
    expect(nameKeys('tehreek_lashkar_real').core).toBe('tehreekiashkar');
    expect(readableCore('kһorasаn_vg')).toBe('khorasanvg');
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
      linkTokens([
        'Backup: https://t.me/Umar_Media2 and t.me/s/umar_media2 — WhatsApp https://whatsapp.com/channel/0029VaXyZ, chat.whatsapp.com/AbCd',
        'Follow @ttp_rnedia, call +92 300 1234567 or visit www.example.org/news.',
      ]).fuzzy,
    ).toEqual([
      'handle:ttp_media',
      'phone:923001234567',
      'tg:umar_media2',
      'url:example.org/news',
      'wa-channel:0029vaxyz',
      'wa:abcd',
    ]);
  });

  it('normalises a URL only where the address is the same: host, aliases, tracking, trailing slash', () => {
    expect(
      exactLinks([
        'https://www.Telegram.me/FidayeenPress514/?utm_source=x&fbclid=1 telegram.dog/s/fidayeenpress514',
        'https://m.youtube.com/watch?v=AbC&si=q youtu.be/AbC?si=1 https://twitter.com/Umar_X?s=20&ref=tw mobile.x.com/umar_x/',
        'Call 0092 300 1234567, @Umar_Media. example.org/Page?id=7&gclid=9&igshid=2',
      ]),
    ).toEqual(['+923001234567', '@umar_media', 'example.org/Page?id=7', 't.me/fidayeenpress514', 'x.com/umar_x', 'youtube.com/watch?v=AbC']);
  });

  it('ends a link at a decoration glued to it', () => {
    expect(exactLinks(['Join t.me/Umar_Media🔥🔥 or t.me/umar_backup🇵🇰'])).toEqual(['t.me/umar_backup', 't.me/umar_media']);
  });

  it('keeps path case where a site distinguishes it', () => {
    expect(exactLinks(['youtu.be/AbC youtu.be/abc'])).toEqual(['youtube.com/watch?v=AbC', 'youtube.com/watch?v=abc']);
    expect(exactLinks(['t.me/+AbCdEf t.me/joinchat/XyZ t.me/Umar_Media'])).toEqual(['t.me/+AbCdEf', 't.me/joinchat/XyZ', 't.me/umar_media']);
  });

  it('drops a parameter as tracking only where the site uses it so, and keeps a second question mark', () => {
    expect(exactLinks(['example.org/search?s=fidayeen&ref=home x.com/umar_x?s=20 example.org/a?q=1?b'])).toEqual(['example.org/a?q=1?b', 'example.org/search?s=fidayeen&ref=home', 'x.com/umar_x']);
  });

  it('takes no token from an @ that names nobody', () => {
    expect(exactLinks(['more to come @... and @___ soon'])).toEqual([]);
  });

  it('folds a look-alike channel to the same fuzzy key, but not the same exact link', () => {
    const [original, lookAlike] = [exactLinks(['t.me/fidayeenpress514']), exactLinks(['t.me/fidayeenpresss1a'])];
    expect(original).not.toEqual(lookAlike);
    expect(fuzzyLinkKey(original[0])).toBe(fuzzyLinkKey(lookAlike[0]));
  });
});
