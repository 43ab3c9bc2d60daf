/**
 * As-you-type checks: one incremental scan state per draft, so each keystroke re-scans only what
 * the edit can affect. The answer says what the send button will do.
 */
import type { Filter, ScanState } from '@kefu/filter';
import { KefuError, type DraftCheck } from '@kefu/shared';
import type { AgentActor } from '../actors.ts';
import type { Ctx } from '../context.ts';
import { orgFilter } from './lexicon.ts';
import { actionFor } from './decide.ts';
import { findExternalLinks } from './links.ts';
import { allowedHosts, effectivePolicy } from '../tiers/policy.ts';

const MAX_DRAFTS = 10;

export class DraftChecker {
  private readonly drafts = new Map<string, { filter: Filter; state: ScanState }>();
  constructor(private readonly ctx: Ctx, private readonly actor: AgentActor) {}

  async check(req: { draftId: string; text?: string; edit?: { start: number; deleteCount: number; insert: string } }): Promise<DraftCheck> {
    const filter = await orgFilter(this.ctx, this.actor.orgId);
    const prev = this.drafts.get(req.draftId);
    let state: ScanState;
    if (req.edit && prev && prev.filter === filter && typeof req.text !== 'string') {
      const { start, deleteCount, insert } = req.edit;
      const len = prev.state.text.length;
      if (!Number.isInteger(start) || !Number.isInteger(deleteCount) || start < 0 || deleteCount < 0 || start + deleteCount > len || typeof insert !== 'string') {
        throw new KefuError('VALIDATION_FAILED', 'The edit does not fit the draft; send the whole text.', { field: 'edit' });
      }
      state = filter.edit(prev.state, { start, deleteCount, insert });
    } else if (req.edit && typeof req.text !== 'string') {
      // The server lost this draft (reconnect, another server, the lexicon changed): ask for the text.
      throw new KefuError('CONFLICT', 'Unknown draft; send the whole text.', { field: 'draftId' });
    } else {
      state = filter.begin(String(req.text ?? ''));
    }
    this.drafts.delete(req.draftId);
    this.drafts.set(req.draftId, { filter, state });
    if (this.drafts.size > MAX_DRAFTS) this.drafts.delete(this.drafts.keys().next().value!);
    const policy = await effectivePolicy(this.ctx, this.actor.orgId, this.actor.tier);
    const links = policy.externalLinks ? [] : findExternalLinks(state.text, await allowedHosts(this.ctx, this.actor.orgId));
    const result = state.result;
    return {
      maxLevel: result.maxLevel,
      hits: result.hits.map((h) => ({ word: h.word, level: h.level, category: h.category, start: h.start, end: h.end })),
      action: links.length ? 'blocked' : actionFor(result),
      links,
    };
  }
}
