//! aisle-js: Aisle for any web page, as an ES module with TypeScript types.
//!
//! Thin glue over aisle-core (ranking, reasons, profile, copy) and aisle-browser (verified bundle
//! download, IndexedDB): this crate only converts between JavaScript values and Rust types and
//! turns every error into a JavaScript `Error` whose message says what was wrong.
//!
//! ```js
//! import init, { Recommender } from 'aisle';
//! await init();
//! const aisle = await Recommender.load('/bundle/manifest.json');
//! aisle.track({ kind: 'view', item: '85123A' });
//! for (const { id, title, reason } of aisle.recommend({ placement: 'for-you', k: 8 })) {
//!   console.log(id, title, reason);
//! }
//! ```

#![warn(missing_docs)]

mod input;
mod recommender;

pub use recommender::Recommender;

use wasm_bindgen::prelude::wasm_bindgen;

// The public types, written out so the generated `.d.ts` names them instead of `any`.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** Where a list is shown; the same placements as the Aisle storefront. */
export type Placement = "for-you" | "buy-again" | "trending" | "recent" | "similar" | "bought-together" | "complete-order" | "customers-like-you";

/** Options for `Recommender.load`. */
export interface LoadOptions {
  /** Where the shopper's profile is kept: IndexedDB (default; falls back to localStorage) or only in memory. */
  persistence?: "indexeddb" | "memory";
  /** The storage key of the profile (default "aisle.events", the storefront's, so both share one shopper). */
  profileKey?: string;
}

/** Something the shopper did. `at` is milliseconds since the epoch (default: now). */
export type TrackEvent =
  | { kind: "view"; item: string; dwellMs?: number; at?: number }
  | { kind: "search"; query: string; at?: number }
  | { kind: "add-to-cart"; item: string; quantity?: number; at?: number }
  | { kind: "remove-from-cart"; item: string; at?: number }
  | { kind: "purchase"; item: string; quantity?: number; price: number; at?: number }
  | { kind: "click"; item: string; placement: Placement; at?: number }
  | { kind: "dismiss"; item: string; at?: number };

/** Options for `recommend`. */
export interface RecommendOptions {
  placement: Placement;
  /** How many (default 10). */
  k?: number;
  /** The product a "similar" or "bought-together" list is for. */
  item?: string;
  /** Product ids to leave out. */
  exclude?: string[];
  /** Product ids out of stock: never shown. */
  unavailable?: string[];
  /** Only products priced within these bounds, and of one of these categories when given. */
  filters?: { minPrice?: number; maxPrice?: number; categories?: string[] };
  /** Variety over score, 0 (default: score order) to 1: look-alikes move down the list. */
  diversity?: number;
  /** For "for-you" and "similar": how much each signal counts, changing the placement's own
   * weights (0 turns a signal off). */
  weights?: Weights;
}

/** The weight of each signal on a blended shelf; each 0 or more. "for-you" starts from the
 * weights the shop's bundle learned (`settings()` shows them). */
export interface Weights {
  /** Co-purchase pull of the products the shelf starts from ("similar": 0). */
  coPurchase?: number;
  /** Title similarity to them ("similar": 1). */
  content?: number;
  /** Matches of recent searches ("for-you": 0.5). */
  search?: number;
  /** What sells now ("similar": 0.01, a tie-break). */
  trending?: number;
  /** All-time popularity ("similar": 0). */
  popularity?: number;
  /** How far "Not interested" pushes look-alikes down ("for-you": 0.3). */
  dismiss?: number;
}

/** How the shop's bundle ranks "for-you" and "buy-again": learned from its order history. */
export interface BlendSettings {
  coPurchase: number;
  content: number;
  trending: number;
  popularity: number;
  historyDays: number;
  historyFrequency: number;
  repeat: number;
  repeatDays: number;
  repeatFrequency: number;
  repeatItemRate: number;
  repeatUserRate: number;
  season: number;
  trendingDays: number;
  easeLambda: number;
  easeDays: number;
  easeWeights: number;
  /** What customers went on to buy, summed into the co-purchase weights (0: left out). */
  nextPurchase: number;
  nextPurchaseLambda: number;
}

/** One recommended product. */
export interface Recommendation {
  id: string;
  title: string;
  /** The shop's category, or one derived from the title; "" when neither says. */
  category: string;
  price: number;
  /** Higher is better; comparable within one list only. */
  score: number;
  /** Why it is there, as a sentence ("Because you viewed White Metal Lantern"). */
  reason: string;
  /** The product's photo in card size (within 400 x 300 pixels), a WebP file in the bundle's
   * own folder; null when the shop gave none. */
  image: { src: string; width: number; height: number } | null;
}

/** The shopper's customer segment, once they have ordered. */
export interface Segment {
  /** The segment's name by the shop's naming rule ("Promising"). */
  name: string;
}

/** The shopper's features, computed on the device from what this browser recorded. */
export interface ShopperFeatures {
  /** Product views per week since the first recorded event (at least one week). */
  viewsPerWeek: number;
  /** Orders placed. */
  orders: number;
  /** Words of the shopper's searches, strongest search first, at most 5. */
  searchKeywords: string[];
  /** Time on product pages, in seconds. */
  browseSeconds: number;
  /** Total spent. */
  spent: number;
  /** Share of the shopper's interest per category, largest first, at most 4. */
  categories: [string, number][];
}

/** A marketing channel. */
export type Channel = "banner" | "email-subject" | "push" | "social";

/** Options for `copy`. */
export interface CopyOptions {
  channel: Channel;
  /** Which of the templates (any number; "regenerate" is variant + 1). Default 0. */
  variant?: number;
}

/** A piece of marketing copy. */
export interface Copy {
  headline: string;
  body: string;
}
"#;
