import { TakedownKind, TakedownPriority } from './takedown.enums';

/**
 * One SLA rule: requests whose legal instrument starts with `instrument` (case-insensitive; `*` for
 * any) and whose priority and kind match get `hours` to be answered. The first matching rule wins.
 */
export interface SlaRule {
  instrument: string;
  priority?: TakedownPriority;
  kind?: TakedownKind;
  hours: number;
  source: string;
}

export type SlaPolicy = SlaRule[];

/** The defaults; the README lists them with their sources. Override with PAX_SLA_POLICY. */
export const DEFAULT_SLA_POLICY: SlaPolicy = [
  {
    instrument: 'EU 2021/784',
    kind: TakedownKind.ORDER,
    hours: 1,
    source: 'Regulation (EU) 2021/784 (TCO) art. 3(3): removal within one hour of receipt of a removal order',
  },
  {
    instrument: 'PECA 2016',
    priority: TakedownPriority.EMERGENCY,
    hours: 12,
    source: 'Removal and Blocking of Unlawful Online Content Rules 2021 (Pakistan), emergency directions',
  },
  {
    instrument: 'PECA 2016',
    hours: 48,
    source: 'Removal and Blocking of Unlawful Online Content Rules 2021 (Pakistan), ordinary directions',
  },
  { instrument: '*', priority: TakedownPriority.EMERGENCY, hours: 1, source: 'PAX default for emergencies' },
  { instrument: '*', hours: 72, source: 'PAX default where the instrument sets no deadline' },
];

export function slaHours(policy: SlaPolicy, instrument: string, priority: TakedownPriority, kind: TakedownKind): number {
  const wanted = instrument.trim().toLowerCase();
  const rule = policy.find(
    (r) =>
      (r.instrument === '*' || wanted.startsWith(r.instrument.toLowerCase())) &&
      (!r.priority || r.priority === priority) &&
      (!r.kind || r.kind === kind),
  );
  if (!rule) throw new Error(`the SLA policy has no rule for ${instrument} / ${priority}; add a '*' rule`);
  return rule.hours;
}

export function parseSlaPolicy(json: string): SlaPolicy {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed) || parsed.length === 0) throw new Error('PAX_SLA_POLICY must be a non-empty JSON array of rules');
  for (const rule of parsed as SlaRule[]) {
    if (typeof rule.instrument !== 'string' || !(typeof rule.hours === 'number' && rule.hours > 0)) {
      throw new Error(`PAX_SLA_POLICY rule ${JSON.stringify(rule)} needs "instrument" (string) and "hours" (> 0)`);
    }
  }
  return parsed as SlaPolicy;
}
