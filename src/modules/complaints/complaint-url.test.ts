import { normaliseComplaintUrl } from './complaint-url';

describe('complaint URL normalisation', () => {
  it('puts the forms of one post together', () => {
    const forms = ['https://twitter.com/TTP_Media/status/1799?s=20', 'https://mobile.x.com/ttp_media/status/1799/', 'https://www.x.com/ttp_media/status/1799#top'];
    const normalised = forms.map((u) => normaliseComplaintUrl(u));
    expect(new Set(normalised.map((n) => n.normalisedUrl))).toEqual(new Set(['https://x.com/ttp_media/status/1799']));
    expect(normalised[0]).toMatchObject({ platform: 'X', accountKey: 'X:ttp_media' });
  });

  it('finds the account behind posts and channels, and not behind site pages', () => {
    expect(normaliseComplaintUrl('https://t.me/s/umar_media/812').accountKey).toBe('TELEGRAM:umar_media');
    expect(normaliseComplaintUrl('https://www.tiktok.com/@Khorasan.Nida/video/7').accountKey).toBe('TIKTOK:khorasan.nida');
    expect(normaliseComplaintUrl('https://www.youtube.com/watch?v=abc').accountKey).toBeNull();
    expect(normaliseComplaintUrl('https://example.org/Blog/Post')).toEqual({ normalisedUrl: 'https://example.org/Blog/Post', platform: null, accountKey: null });
  });
});
