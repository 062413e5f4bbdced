// The worker reports' oracle (latency, accountability, wellbeing, trial): assignment episodes and
// the measures PRODUCT.md defines on them, over the source rows of world.ts, in plain loops. The
// stats module's Kaplan–Meier is used as a tested tool (server/core/stats), not as report code.
import { kaplanMeier, kmQuantile } from '../../server/core/stats/index.ts';
import {
  DAY_MS, dayEnd, isMultiplier, isOutreachContact, median, stageRank, type OracleEvent, type World,
} from './world.ts';

const ATTEMPT_KINDS = new Set(['attempt', 'established', 'scheduled', 'met', 'no_show']);
const pathAtLeast = (e: OracleEvent, stage: string) =>
  e.kind === 'seeker_path_changed' && e.newValue !== null && stageRank(e.newValue) >= stageRank(stage);

export const MILESTONES = ['accepted', 'first_attempt', 'established', 'first_meeting'] as const;
export type Milestone = (typeof MILESTONES)[number];

export interface Episode {
  contactId: string;
  userId: string;
  assignedAt: number;
  nextAssignedAt: number | null;
  stoppedAt: number | null;
  reachedAt: Record<Milestone, number | null>;
}

/** One episode per assignment of an outreach contact to a multiplier, until the contact's next assignment. */
export function episodesOf(w: World): Episode[] {
  const out: Episode[] = [];
  for (const [contactId, events] of w.eventsByContact) {
    if (!isOutreachContact(w, contactId)) continue;
    const assignments = events.filter((e) => e.kind === 'assigned' && e.targetUserId !== null);
    assignments.forEach((a, i) => {
      if (!isMultiplier(w, a.targetUserId)) return;
      const next = assignments[i + 1]?.atMs ?? null;
      const during = events.filter((e) => e.atMs >= a.atMs && (next === null || e.atMs < next));
      const first = (test: (e: OracleEvent) => boolean) => during.find(test)?.atMs ?? null;
      out.push({
        contactId,
        userId: a.targetUserId!,
        assignedAt: a.atMs,
        nextAssignedAt: next,
        stoppedAt: first((e) => e.kind === 'status_changed' && (e.newValue === 'closed' || e.newValue === 'paused')),
        reachedAt: {
          accepted: first((e) => e.kind === 'accepted'),
          first_attempt: first((e) => ATTEMPT_KINDS.has(e.kind) || pathAtLeast(e, 'attempted')),
          established: first((e) => ['established', 'scheduled', 'met'].includes(e.kind) || pathAtLeast(e, 'established')),
          first_meeting: first((e) => e.kind === 'met' || pathAtLeast(e, 'met')),
        },
      });
    });
  }
  return out;
}

export interface Wait { days: number; reached: boolean; stillWaiting: boolean }

/** Days to the milestone, or to min(next assignment, close/pause, now) when not reached (censored). */
export function waitFor(e: Episode, milestone: Milestone, asOf: string): Wait {
  const now = dayEnd(asOf);
  const at = e.reachedAt[milestone];
  if (at !== null && at < now) return { days: (at - e.assignedAt) / DAY_MS, reached: true, stillWaiting: false };
  const censorAt = Math.min(e.nextAssignedAt ?? Infinity, e.stoppedAt ?? Infinity, now);
  return { days: (censorAt - e.assignedAt) / DAY_MS, reached: false, stillWaiting: censorAt === now };
}

export interface LatencySummary { episodes: number; reached: number; censored: number; stillWaiting: number; median: number | null; p90: number | null; naiveMedian: number | null }

export function summariseWaits(waits: Wait[]): LatencySummary {
  const curve = kaplanMeier(waits.map((x) => ({ time: x.days, event: x.reached })));
  const reached = waits.filter((x) => x.reached);
  return {
    episodes: waits.length,
    reached: reached.length,
    censored: waits.length - reached.length,
    stillWaiting: waits.filter((x) => x.stillWaiting).length,
    median: kmQuantile(curve, 0.5),
    p90: kmQuantile(curve, 0.9),
    naiveMedian: median(reached.map((x) => x.days)),
  };
}

/** Status of a contact at the end of the as-of day: its last logged change by then, else its imported status. */
export function statusAt(w: World, contactId: string, asOf: string): string | null {
  const now = dayEnd(asOf);
  let status: string | null = null;
  let logged = false;
  for (const e of w.eventsByContact.get(contactId) ?? []) {
    if (e.atMs >= now) break;
    if (e.kind === 'status_changed') { status = e.newValue; logged = true; }
  }
  return logged ? status : (w.contactsById.get(contactId)?.status ?? null);
}

/** Episodes still with their multiplier at the end of the as-of day. */
export function openAt(e: Episode, asOf: string): boolean {
  const now = dayEnd(asOf);
  return e.assignedAt < now && (e.nextAssignedAt === null || e.nextAssignedAt >= now);
}

/** A multiplier's current contacts: open episodes whose contact is active or waiting to be accepted. */
export function currentEpisodes(w: World, episodes: Episode[], asOf: string): Episode[] {
  return episodes.filter((e) => openAt(e, asOf) && ['active', 'assigned'].includes(statusAt(w, e.contactId, asOf) ?? ''));
}

export interface OverdueRequest { contactId: string; userId: string; requestedAt: number }

/** Update requests with no answer logged after them, older than `days` at the end of the as-of day. */
export function overdueUpdateRequests(w: World, episodes: Episode[], asOf: string, days: number): OverdueRequest[] {
  const now = dayEnd(asOf);
  const out: OverdueRequest[] = [];
  for (const [contactId, events] of w.eventsByContact) {
    if (!isOutreachContact(w, contactId)) continue;
    const seenUntilNow = events.filter((e) => e.atMs < now);
    const open = seenUntilNow.filter((r) => r.kind === 'update_requested' && !seenUntilNow.some((a) => a.kind === 'update_answered' && a.atMs > r.atMs));
    if (open.length === 0) continue;
    const oldest = Math.min(...open.map((r) => r.atMs));
    if (oldest + days * DAY_MS > now) continue;
    const episode = episodes.find((e) => e.contactId === contactId && openAt(e, asOf));
    if (episode) out.push({ contactId, userId: episode.userId, requestedAt: oldest });
  }
  return out;
}

/** Active load at the end of a day: outreach contacts assigned by then whose episode has not ended (next assignment, close or pause). */
export function loadAt(episodes: Episode[], userId: string, day: string): number {
  const end = dayEnd(day);
  let load = 0;
  for (const e of episodes) {
    if (e.userId !== userId || e.assignedAt >= end) continue;
    const endedAt = Math.min(e.nextAssignedAt ?? Infinity, e.stoppedAt ?? Infinity);
    if (endedAt >= end) load++;
  }
  return load;
}
