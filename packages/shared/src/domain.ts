/** Enumerations and limits shared by the server and the web app. */

export const TIERS = ['basic', 'senior', 'admin'] as const;
export type Tier = (typeof TIERS)[number];

export const CONVERSATION_STATUSES = ['open', 'pending', 'resolved'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** e-commerce after-sales, content review, account bans (DESIGN 1.11). */
export const BUSINESS_TYPES = ['ecommerce_after_sales', 'content_review', 'account_ban'] as const;
export type BusinessType = (typeof BUSINESS_TYPES)[number];

export const CHANNELS = ['web', 'mobile', 'wecom', 'h5'] as const;
export type Channel = (typeof CHANNELS)[number];

export const DIRECTIONS = ['inbound', 'outbound'] as const; // inbound: user → agent
export type Direction = (typeof DIRECTIONS)[number];

export const ORDER_STATUSES = ['pending_payment', 'paid', 'shipped', 'delivered', 'completed', 'refunding', 'refunded', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Default tier policy (DESIGN 1.1); organisations may only tighten it. `null` = unlimited. */
export const TIER_DEFAULTS: Record<Tier, {
  dailyMessages: number | null;
  attachments: 'images' | 'images_video' | 'all';
  externalLinks: boolean;
  bypassesPerDay: number;
  manageTemplates: boolean;
  readOthers: boolean;
  bulkExport: boolean;
}> = {
  basic: { dailyMessages: 200, attachments: 'images', externalLinks: false, bypassesPerDay: 0, manageTemplates: false, readOthers: false, bulkExport: false },
  senior: { dailyMessages: 500, attachments: 'images_video', externalLinks: true, bypassesPerDay: 3, manageTemplates: true, readOthers: false, bulkExport: false },
  admin: { dailyMessages: null, attachments: 'all', externalLinks: true, bypassesPerDay: 10, manageTemplates: true, readOthers: true, bulkExport: true },
};

export const LIMITS = {
  messageTextMax: 4000,
  clientMessageIdMax: 64,
  historyPageMax: 200,
  nicknameMax: 64,
  passwordMin: 10,
  passwordMax: 256,
  loginFailuresBeforeLock: 5,
  loginLockMinutes: 15,
  sessionIdleHours: 12,
  webhookWindowSeconds: 300,
  typingTtlMs: 5000,
} as const;

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
