/** Sanction level: 1 blocks the send, 2 needs a face step-up, 3 inserts the official statement. */
export type Level = 1 | 2 | 3;

export interface LexiconEntry {
  word: string;
  level: Level;
  category: string;
}

/** One match. `start`/`end` are UTF-16 offsets into the ORIGINAL text, end exclusive. */
export interface Hit {
  word: string;
  level: Level;
  category: string;
  start: number;
  end: number;
}

export interface ScanResult {
  maxLevel: 0 | Level;
  hits: Hit[];
}

/** Normalisation switches; every one is on unless set to false. */
export interface FilterOptions {
  /** Exact matching: every switch below defaults to off instead of on (code units as they are). */
  exact?: boolean;
  /** Everyday words that contain a listed word (客服电话, 发票…): a hit inside one of them is dropped. */
  allow?: string[];
  /** Lower-case Latin letters. */
  caseFold?: boolean;
  /** NFKC: full/half width, Kangxi radicals, compatibility ideographs, circled and stylised letters and digits. */
  width?: boolean;
  /** Traditional → simplified Chinese (opencc-js tables). */
  traditional?: boolean;
  /** Skip invisible/format characters and noise (punctuation, symbols, spaces, emoji) between letters. */
  noise?: boolean;
  /** 加加微微信信 → 加微信 (only CJK repeats; never Latin letters or digits). */
  repetition?: boolean;
  /** ①, 壹, 幺, 八 → ASCII digits. */
  digits?: boolean;
  /** Latin and digit words match only at a Latin/digit boundary (`sb` is not inside `usb`). */
  boundaries?: boolean;
  /** Full pinyin, mixed pinyin/hanzi, initials (for words of 3+ characters). */
  pinyin?: boolean;
  /** Homophones, near-homophones, look-alike and split characters (威信, 徽信, 亻言 → 信). */
  homophones?: boolean;
  /** Mainland mobile numbers written with any digit forms and noise (off-platform contact). */
  contacts?: boolean;
  /** Level/category given to a detected phone number. */
  contactLevel?: Level;
  contactCategory?: string;
  /** At most this many spelling variants per lexicon word (pinyin, homophones). Default 64. */
  maxVariants?: number;
}

/** An edit to a draft: `deleteCount` UTF-16 units at `start` are replaced by `insert`. */
export interface Edit {
  start: number;
  deleteCount: number;
  insert: string;
}
