import { MAX_RUNE, normalize, type Ranges } from "./charset.js";

/**
 * Unicode classes for `\pN`, `\p{Name}`, `\PN`. The accepted names are RE2/J's (the engine AWS
 * runs): the general categories of its table (note: no `LC`, no `Cn`) and its scripts, spelled
 * with their long names only (`Greek`, not `Grek`). Membership comes from the JS engine's own
 * Unicode data, so it can differ from AWS for characters assigned in recent Unicode versions.
 */
const CATEGORIES = new Set(
  "C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs".split(
    " ",
  ),
);

const SCRIPTS = new Set(
  (
    "Arabic Armenian Avestan Balinese Bamum Batak Bengali Bopomofo Brahmi Braille Buginese Buhid " +
    "Canadian_Aboriginal Carian Cham Cherokee Common Coptic Cuneiform Cypriot Cyrillic Deseret " +
    "Devanagari Egyptian_Hieroglyphs Ethiopic Georgian Glagolitic Gothic Greek Gujarati Gurmukhi Han " +
    "Hangul Hanunoo Hebrew Hiragana Imperial_Aramaic Inherited Inscriptional_Pahlavi " +
    "Inscriptional_Parthian Javanese Kaithi Kannada Katakana Kayah_Li Kharoshthi Khmer Lao Latin " +
    "Lepcha Limbu Linear_B Lisu Lycian Lydian Malayalam Mandaic Meetei_Mayek Mongolian Myanmar " +
    "New_Tai_Lue Nko Ogham Ol_Chiki Old_Italic Old_Persian Old_South_Arabian Old_Turkic Oriya " +
    "Osmanya Phags_Pa Phoenician Rejang Runic Samaritan Saurashtra Shavian Sinhala Sundanese " +
    "Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Tamil Telugu Thaana Thai Tibetan " +
    "Tifinagh Ugaritic Unknown Vai Yi"
  ).split(" "),
);

const ANY: Ranges = [0, MAX_RUNE];
const cache = new Map<string, Ranges>();

/** Ranges of a `\p` name, or undefined when RE2 does not know the name. */
export function unicodeClass(name: string): Ranges | undefined {
  const hit = cache.get(name);
  if (hit) return hit;
  if (name === "Any") return ANY;
  let source: string;
  // RE2's C is Cc|Cf|Co|Cs; JS's \p{C} also has the unassigned code points (Cn).
  if (name === "C") source = "[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}]";
  else if (CATEGORIES.has(name)) source = `\\p{gc=${name}}`;
  else if (SCRIPTS.has(name)) source = `\\p{sc=${name}}`;
  else return undefined;
  const ranges = scan(source);
  cache.set(name, ranges);
  return ranges;
}

// One string holding every code point except the surrogates, in order, so that a single global
// regex scan turns a property into ranges (~100 ms, once per name per process). Held weakly: it
// is 4 MB and only needed when a new name shows up.
const BMP_NON_SURROGATES = 0x10000 - 0x800;
let everything: WeakRef<{ s: string }> | undefined;

function everyCodePoint(): string {
  const held = everything?.deref();
  if (held) return held.s;
  const units = new Uint16Array(BMP_NON_SURROGATES + 2 * (MAX_RUNE + 1 - 0x10000));
  let k = 0;
  for (let c = 0; c < 0x10000; c++) if (c < 0xd800 || c > 0xdfff) units[k++] = c;
  for (let c = 0x10000; c <= MAX_RUNE; c++) {
    const v = c - 0x10000;
    units[k++] = 0xd800 + (v >> 10);
    units[k++] = 0xdc00 + (v & 0x3ff);
  }
  const s = new TextDecoder("utf-16le").decode(units);
  everything = new WeakRef({ s });
  return s;
}

/** Code point at a UTF-16 index of `everyCodePoint()` (either half of a pair gives the same). */
function codePointAtIndex(k: number): number {
  if (k < 0xd800) return k;
  if (k < BMP_NON_SURROGATES) return k + 0x800;
  return 0x10000 + ((k - BMP_NON_SURROGATES) >> 1);
}

function scan(source: string): Ranges {
  const out: number[] = [];
  const all = everyCodePoint();
  for (const m of all.matchAll(new RegExp(`${source}+`, "gu"))) {
    const start = m.index ?? 0;
    out.push(codePointAtIndex(start), codePointAtIndex(start + m[0].length - 1));
  }
  // Surrogate code points (lone surrogates in the input) all share the same properties.
  if (new RegExp(`^${source}$`, "u").test("\ud800")) out.push(0xd800, 0xdfff);
  return normalize(out);
}
