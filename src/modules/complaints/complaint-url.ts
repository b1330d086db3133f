import { Platform } from '../../common/enums';
import { handleKey } from '../accounts/account.service';

const HOSTS: Record<string, Platform> = {
  'x.com': Platform.X,
  'twitter.com': Platform.X,
  'facebook.com': Platform.FACEBOOK,
  'fb.com': Platform.FACEBOOK,
  'instagram.com': Platform.INSTAGRAM,
  'whatsapp.com': Platform.WHATSAPP,
  'wa.me': Platform.WHATSAPP,
  't.me': Platform.TELEGRAM,
  'telegram.me': Platform.TELEGRAM,
  'youtube.com': Platform.YOUTUBE,
  'tiktok.com': Platform.TIKTOK,
};

/** Path segments that are pages of the site, not accounts. */
const NOT_ACCOUNTS = new Set(['s', 'i', 'home', 'search', 'hashtag', 'explore', 'watch', 'channel', 'c', 'share', 'p', 'reel', 'status', 'intent', 'joinchat', 'groups', 'profile.php']);

/**
 * The same post or account reported many times arrives as many URLs: mobile hosts, tracking
 * parameters, trailing slashes, twitter.com for x.com. The normal form keeps host and path only,
 * so duplicates group together; the account key (platform and handle) groups different posts of
 * one account.
 */
export function normaliseComplaintUrl(raw: string): { normalisedUrl: string; platform: Platform | null; accountKey: string | null } {
  const url = new URL(raw.trim());
  const host = url.hostname.toLowerCase().replace(/^(www|m|mobile|web)\./, '');
  const platform = HOSTS[host] ?? null;
  const canonicalHost = platform === Platform.X ? 'x.com' : host;
  const segments = url.pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  if (platform === Platform.TELEGRAM && segments[0] === 's') segments.shift();
  const path = segments.join('/');
  const normalisedUrl = `https://${canonicalHost}/${platform ? path.toLowerCase() : path}`.replace(/\/$/, '');
  const first = segments[0];
  const account = platform && first && !NOT_ACCOUNTS.has(first.toLowerCase()) ? handleKey(first.replace(/^@/, '')) : null;
  return { normalisedUrl, platform, accountKey: account ? `${platform}:${account}` : null };
}
