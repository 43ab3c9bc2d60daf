/**
 * What the send path does with a scan (DESIGN 1.3): level 1 blocks, level 2 needs a face
 * step-up, level 3 inserts the official statement. Level 1 is the most severe.
 */
import type { ScanResult } from '@kefu/filter';

export type ModerationAction = 'send' | 'blocked' | 'step_up' | 'statement';

export function actionFor(scan: ScanResult): ModerationAction {
  switch (scan.maxLevel) {
    case 1:
      return 'blocked';
    case 2:
      return 'step_up';
    case 3:
      return 'statement';
    default:
      return 'send';
  }
}

export const DEFAULT_STATEMENT =
  '【平台声明】如需投诉或举报，请通过平台官方渠道（App「我的 - 客服与帮助 - 投诉举报」）提交，平台将在规定时限内核实处理并通过站内信告知结果。';
